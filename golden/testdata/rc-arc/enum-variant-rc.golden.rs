use std::sync::Arc;
enum Msg { Text(Arc<String>), Quit }
async fn tick() {}
#[tokio::main]
async fn main() {
    let m = Msg::Text(Arc::new("hi".into()));
    tokio::spawn(async move { tick().await; if let Msg::Text(t) = m { println!("{t}"); } }).await.unwrap();
    let _ = Msg::Quit;
}
