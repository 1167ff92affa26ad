// golden: run
use std::sync::Arc;
use tokio::sync::Mutex;

async fn publish(total: u32) {
    println!("{total}");
}

async fn score(weights: Arc<Mutex<Vec<u32>>>, picks: Vec<usize>) {
    let weights_guard = weights.lock().await;
    let total: u32 = picks.iter().map(|i| weights_guard[*i]).sum();
    drop(weights_guard);
    let mut w = weights.lock().await;
    w.push(total);
    publish(total).await;
    w.push(0);
}

#[tokio::main]
async fn main() {
    let weights = Arc::new(Mutex::new(vec![1, 2, 3]));
    tokio::spawn(score(weights, vec![0, 2])).await.unwrap();
}
