// The guard is moved by value into a fn before the await, so it is gone
// and the program compiles: no change.
use std::sync::{Arc, Mutex, MutexGuard};

fn consume(g: MutexGuard<'_, Vec<u32>>) -> usize {
    g.len()
}

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    tokio::spawn(async move {
        let g = data.lock().unwrap();
        let n = consume(g);
        tick().await;
        println!("{}", n);
    })
    .await
    .unwrap();
}
