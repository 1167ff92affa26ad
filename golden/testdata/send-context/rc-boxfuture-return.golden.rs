// An Rc parameter captured by the async block a fn returns as a Send
// box.
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

async fn tick() {}

fn greet(name: Arc<String>) -> BoxFuture<'static, ()> {
    Box::pin(async move {
        println!("hello {name}");
        tick().await;
    })
}

#[tokio::main]
async fn main() {
    let name = Arc::new(String::from("world"));
    tokio::spawn(greet(name)).await.unwrap();
}
