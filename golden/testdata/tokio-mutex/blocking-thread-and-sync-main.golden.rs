// golden: run
use std::sync::Arc;
use tokio::sync::Mutex;

async fn send(n: usize) {
    println!("sent {n}");
}

async fn drain(q: Arc<Mutex<Vec<u32>>>) {
    let mut items = q.lock().await;
    send(items.len()).await;
    items.clear();
}

fn fill(q: &Mutex<Vec<u32>>) {
    q.blocking_lock().extend([1, 2, 3]);
}

fn main() {
    let q = Arc::new(Mutex::new(Vec::new()));
    let q2 = q.clone();
    // A plain thread and main itself run off any runtime.
    std::thread::spawn(move || fill(&q2)).join().unwrap();
    assert_eq!(q.blocking_lock().len(), 3);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        tokio::spawn(drain(q.clone())).await.unwrap();
    });
    assert!(q.blocking_lock().is_empty());
}
