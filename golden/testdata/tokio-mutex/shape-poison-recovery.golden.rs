// golden: run
use std::sync::{Arc, PoisonError};
use tokio::sync::Mutex;

async fn emit(n: u32) {
    println!("{n}");
}

async fn tally(c: Arc<Mutex<u32>>) {
    let mut n = c.lock().await;
    *n += 1;
    emit(*n).await;
    *n += 1;
}

async fn read(c: &Mutex<u32>) -> u32 {
    *c.lock().await
}

async fn reset(c: &Mutex<u32>) {
    let mut n = c.lock().await;
    *n = 0;
}

#[tokio::main]
async fn main() {
    let c = Arc::new(Mutex::new(0));
    tokio::spawn(tally(c.clone())).await.unwrap();
    assert_eq!(read(&c).await, 2);
    reset(&c).await;
    assert_eq!(read(&c).await, 0);
}
