// A tuple let binds a value and two guards; all are used before the await,
// so the block holds the whole let and its uses.
use std::sync::{Arc, Mutex};

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    let names = Arc::new(Mutex::new(String::from("a")));
    tokio::spawn(async move {
        let (n, mut g, s) = (7u32, data.lock().unwrap(), names.lock().unwrap());
        g.push(n);
        println!("{} {}", s, g.len());
        tick().await;
    })
    .await
    .unwrap();
}
