// An Rc parameter captured by the async block a fn returns as a Send
// box.
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

async fn tick() {}

fn greet(name: Rc<String>) -> BoxFuture<'static, ()> {
    Box::pin(async move {
        println!("hello {name}");
        tick().await;
    })
}

#[tokio::main]
async fn main() {
    let name = Rc::new(String::from("world"));
    tokio::spawn(greet(name)).await.unwrap();
}
