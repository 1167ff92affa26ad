// golden: run
use std::sync::{Arc, Mutex};

async fn work() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let m = Arc::new(Mutex::new(vec![1]));
    let m2 = m.clone();
    tokio::spawn(async move {
        let mut g = match m2.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        work().await;
        g.push(2);
        drop(g);
        let n = m2.lock().unwrap_or_else(|e| e.into_inner()).len();
        assert_eq!(n, 2);
    })
    .await
    .unwrap();
}
