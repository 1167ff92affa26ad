// golden: run
use parking_lot::Mutex;
use std::sync::Arc;
use tokio::sync::mpsc;

#[tokio::main]
async fn main() {
    let (tx, mut rx) = mpsc::channel(1);
    let jobs = Arc::new(Mutex::new(vec!["a", "b"]));
    let j = jobs.clone();
    tokio::spawn(async move {
        let g = j.lock();
        tx.send(g.len()).await.unwrap();
    })
    .await
    .unwrap();
    assert_eq!(rx.recv().await, Some(2));
}
