// An async fn whose future is spawned holds both a std guard (in an
// awaited call's argument) and an Rc across the same await: mutex-scope
// scopes the guard and rc-arc changes the Rc, so the output is Send.
use std::rc::Rc;
use std::sync::{Arc, Mutex};

async fn work(n: u32) -> u32 {
    tokio::task::yield_now().await;
    n + 1
}

async fn task(data: Arc<Mutex<Vec<u32>>>) {
    let local = Rc::new(1u32);
    let n = work(data.lock().unwrap().len() as u32).await;
    println!("{n}");
    println!("{local}");
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2]));
    tokio::spawn(task(data.clone())).await.unwrap();
    println!("{}", data.lock().unwrap().len());
}
