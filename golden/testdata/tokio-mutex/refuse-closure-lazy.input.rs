// golden: expect=send-error
use std::sync::{Arc, Mutex};

async fn notify(n: u32) {
    println!("{n}");
}

async fn scan(prices: Arc<Mutex<Vec<u32>>>, picks: Vec<usize>) {
    // The iterator runs after the statement: no guard can be taken for it.
    let costs = picks.iter().map(|i| prices.lock().unwrap()[*i]);
    let total: u32 = costs.sum();
    let mut p = prices.lock().unwrap();
    p.push(total);
    notify(total).await;
    p.push(0);
}

#[tokio::main]
async fn main() {
    let prices = Arc::new(Mutex::new(vec![1, 2, 3]));
    tokio::spawn(scan(prices, vec![0, 2])).await.unwrap();
}
