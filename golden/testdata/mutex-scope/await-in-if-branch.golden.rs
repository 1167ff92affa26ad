use std::sync::{Arc, Mutex};

async fn retry() {}

async fn work(attempts: Arc<Mutex<u32>>, failed: bool) {
    {
        let mut n = attempts.lock().unwrap();
        *n += 1;
    }
    if failed {
        retry().await;
    } else {
        println!("done");
    }
}

#[tokio::main]
async fn main() {
    let attempts = Arc::new(Mutex::new(0));
    tokio::spawn(work(attempts, true)).await.unwrap();
}
