// An Rc made in an async fn that a spawned block awaits, held across an
// await in a branch: the fn's future is part of the spawned one.
use std::sync::Arc;

fn flag() -> bool {
    std::hint::black_box(true)
}

async fn work(n: u32) -> u32 {
    tokio::task::yield_now().await;
    n + 1
}

async fn task(label: &'static str) {
    let local = Arc::new(String::from(label));
    if flag() {
        println!("{}", work(2).await);
    } else {
        match work(3).await {
            0 => {}
            n => println!("{n}"),
        }
    }
    println!("{local}");
}

#[tokio::main]
async fn main() {
    tokio::spawn(async move { task("x").await }).await.unwrap();
}
