// golden: run
use std::sync::{Arc, Mutex};

async fn upload(items: &[u32]) {
    println!("{} items", items.len());
}

#[tokio::main]
async fn main() {
    let queue = Arc::new(Mutex::new(vec![1u32, 2]));
    let q = queue.clone();
    tokio::spawn(async move {
        let snapshot = {
            let g = q.lock().unwrap();
            let snapshot = g.clone();
            drop(g);
            snapshot
        };
        upload(&snapshot).await;
        assert_eq!(snapshot.len(), 2);
    })
    .await
    .unwrap();
}
