// golden: args=--all-async
use std::sync::{Arc, Mutex};

async fn step() {}

async fn local_only(data: Arc<Mutex<Vec<u8>>>) {
    let mut d = data.lock().unwrap();
    d.push(1);
    step().await;
    d.push(2);
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(Vec::new()));
    local_only(data.clone()).await;
    println!("{:?}", data.lock().unwrap());
}
