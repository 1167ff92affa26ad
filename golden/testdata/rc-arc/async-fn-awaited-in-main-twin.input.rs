// The twin of async-fn-awaited-from-spawn-branch: the fn is only awaited
// from main, whose future no one needs to be Send, so nothing changes.
use std::rc::Rc;

fn flag() -> bool {
    std::hint::black_box(true)
}

async fn work(n: u32) -> u32 {
    tokio::task::yield_now().await;
    n + 1
}

async fn task(label: &'static str) {
    let local = Rc::new(String::from(label));
    if flag() {
        println!("{}", work(2).await);
    }
    println!("{local}");
}

#[tokio::main]
async fn main() {
    task("x").await;
    tokio::spawn(async move { work(1).await }).await.unwrap();
}
