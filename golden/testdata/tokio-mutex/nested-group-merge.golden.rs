// golden: run
use std::{
    collections::HashMap,
    sync::{atomic::{AtomicUsize, Ordering}, Arc},
};
use tokio::sync::{mpsc, Mutex, Notify};

async fn lookup(key: u32) -> u32 {
    key * 10
}

async fn worker(table: Arc<Mutex<HashMap<u32, u32>>>, hits: Arc<AtomicUsize>, mut rx: mpsc::Receiver<u32>, done: Arc<Notify>) {
    while let Some(key) = rx.recv().await {
        let mut t = table.lock().await;
        let value = lookup(key).await;
        t.insert(key, value);
        hits.fetch_add(1, Ordering::Relaxed);
    }
    done.notify_one();
}

#[tokio::main]
async fn main() {
    let table = Arc::new(Mutex::new(HashMap::new()));
    let (tx, rx) = mpsc::channel(4);
    let done = Arc::new(Notify::new());
    let hits = Arc::new(AtomicUsize::new(0));
    tokio::spawn(worker(table.clone(), hits.clone(), rx, done.clone()));
    tx.send(7).await.unwrap();
    drop(tx);
    done.notified().await;
    assert_eq!(table.lock().await.get(&7), Some(&70));
}
