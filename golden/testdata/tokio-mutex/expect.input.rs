use std::sync::{Arc, Mutex};

async fn notify(total: u64) {
    println!("total so far: {total}");
}

async fn count(hits: Arc<Mutex<u64>>) {
    let mut n = hits.lock().expect("hits mutex poisoned");
    *n += 1;
    notify(*n).await;
    *n += 1;
}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0));
    tokio::spawn(count(hits.clone())).await.unwrap();
    let n = *hits.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    println!("{n} hits");
}
