// golden: run
use std::sync::Arc;
use tokio::sync::Mutex;

async fn notify(n: usize) {
    println!("{n}");
}

async fn ingest(seen: Arc<Mutex<Vec<u32>>>, batch: Vec<u32>) {
    let mut seen_guard = seen.lock().await;
    batch.iter().for_each(|x| seen_guard.push(*x));
    drop(seen_guard);
    let seen_guard2 = seen.lock().await;
    let fresh: Vec<u32> = batch.iter().filter(|x| !seen_guard2.contains(&(**x * 10))).copied().collect();
    drop(seen_guard2);
    let mut s = seen.lock().await;
    s.retain(|x| *x != 0);
    notify(fresh.len()).await;
    s.push(99);
}

#[tokio::main]
async fn main() {
    let seen = Arc::new(Mutex::new(vec![0]));
    tokio::spawn(ingest(seen.clone(), vec![1, 2])).await.unwrap();
    assert_eq!(*seen.lock().await, vec![1, 2, 99]);
}
