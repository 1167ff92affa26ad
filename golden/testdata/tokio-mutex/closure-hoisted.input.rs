// golden: run
use std::sync::{Arc, Mutex};

async fn publish(total: u32) {
    println!("{total}");
}

async fn score(weights: Arc<Mutex<Vec<u32>>>, picks: Vec<usize>) {
    let total: u32 = picks.iter().map(|i| weights.lock().unwrap()[*i]).sum();
    let mut w = weights.lock().unwrap();
    w.push(total);
    publish(total).await;
    w.push(0);
}

#[tokio::main]
async fn main() {
    let weights = Arc::new(Mutex::new(vec![1, 2, 3]));
    tokio::spawn(score(weights, vec![0, 2])).await.unwrap();
}
