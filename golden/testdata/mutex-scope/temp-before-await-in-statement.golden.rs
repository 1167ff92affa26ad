// golden: run
use std::sync::{Arc, Mutex};

async fn work() -> usize {
    1
}

fn add(a: usize, b: usize) -> usize {
    a + b
}

#[tokio::main]
async fn main() {
    let items = Arc::new(Mutex::new(vec![1, 2, 3]));
    let i = items.clone();
    let n = tokio::spawn(async move { add({
        let guard = i.lock().unwrap();
        guard.len()
    }, work().await) }).await.unwrap();
    assert_eq!(n, 4);
}
