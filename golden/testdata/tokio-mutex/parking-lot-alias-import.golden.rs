// golden: run
use parking_lot::Mutex as PlMutex;
use std::sync::Arc;
use tokio::sync::Mutex;

async fn send(n: usize) {
    tokio::task::yield_now().await;
    println!("sent {n}");
}

async fn drain(queue: Arc<Mutex<Vec<u32>>>, sent: Arc<PlMutex<usize>>) {
    let mut q = queue.lock().await;
    let n = q.len();
    *sent.lock() += n;
    send(n).await;
    q.clear();
}

#[tokio::main]
async fn main() {
    let queue = Arc::new(Mutex::new(vec![1, 2, 3]));
    let sent = Arc::new(PlMutex::new(0));
    tokio::spawn(drain(queue.clone(), sent.clone())).await.unwrap();
    assert_eq!(*sent.lock(), 3);
}
