// An Rc captured by an async block passed to a fn of the file bounded
// `Future + Send`.
use std::future::Future;
use std::sync::Arc;

async fn tick() {}

fn run<F: Future<Output = ()> + Send + 'static>(f: F) -> tokio::task::JoinHandle<()> {
    tokio::spawn(f)
}

#[tokio::main]
async fn main() {
    let greeting = Arc::new(String::from("hello"));
    run(async move {
        println!("{greeting}");
        tick().await;
    })
    .await
    .unwrap();
}
