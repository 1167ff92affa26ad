// await_holding_lock is about locks: an Rc is still fixed under it.
use std::sync::Arc;

async fn tick() {}

#[allow(clippy::await_holding_lock)]
async fn run() {
    let name = Arc::new(String::from("worker"));
    tokio::spawn(async move {
        tick().await;
        println!("{name}");
    })
    .await
    .unwrap();
}

#[tokio::main]
async fn main() {
    run().await;
}
