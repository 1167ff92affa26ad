use std::sync::Arc;
use tokio::sync::{Mutex, MutexGuard};

async fn log_event(name: &str) {
    println!("event {name}");
}

fn bump(counter: &mut MutexGuard<'_, u64>) {
    **counter += 1;
}

async fn handle(counter: Arc<Mutex<u64>>) {
    let mut c = counter.lock().await;
    bump(&mut c);
    log_event("request").await;
    bump(&mut c);
}

#[tokio::main]
async fn main() {
    let counter = Arc::new(Mutex::new(0));
    tokio::spawn(handle(counter.clone())).await.unwrap();
    println!("{}", counter.lock().await);
}
