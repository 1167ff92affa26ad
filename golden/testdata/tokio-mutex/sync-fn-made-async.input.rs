// golden: run
use std::sync::{Arc, Mutex};

async fn audit(n: u64) {
    println!("audit {n}");
}

fn current(total: &Mutex<u64>) -> u64 {
    *total.lock().unwrap()
}

async fn add(total: Arc<Mutex<u64>>) {
    let mut t = total.lock().unwrap();
    *t += 1;
    audit(*t).await;
    *t += 1;
}

#[tokio::main]
async fn main() {
    let total = Arc::new(Mutex::new(0));
    tokio::spawn(add(total.clone())).await.unwrap();
    println!("{}", current(&total));
}
