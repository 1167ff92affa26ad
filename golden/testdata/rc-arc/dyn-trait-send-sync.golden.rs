use std::sync::Arc;

trait Greeter {
    fn greet(&self) -> String;
}

struct En;
impl Greeter for En {
    fn greet(&self) -> String {
        "hello".into()
    }
}

async fn tick() {}

#[tokio::main]
async fn main() {
    let g: Arc<dyn Greeter + Send + Sync> = Arc::new(En);
    let h = tokio::spawn(async move {
        tick().await;
        println!("{}", g.greet());
    });
    h.await.unwrap();
}
