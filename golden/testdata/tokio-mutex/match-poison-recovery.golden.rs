// golden: run
use std::sync::Arc;
use tokio::sync::Mutex;

async fn work() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let m = Arc::new(Mutex::new(vec![1]));
    let m2 = m.clone();
    tokio::spawn(async move {
        let mut g = m2.lock().await;
        work().await;
        g.push(2);
        drop(g);
        let n = m2.lock().await.len();
        assert_eq!(n, 2);
    })
    .await
    .unwrap();
}
