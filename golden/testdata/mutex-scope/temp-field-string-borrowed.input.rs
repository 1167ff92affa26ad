// golden: args=--rules mutex-scope
// golden: expect=send-error
use std::sync::{Arc, Mutex};

struct Stats {
    last: String,
}

async fn publish(last: &str) -> usize {
    last.len()
}

#[tokio::main]
async fn main() {
    let stats = Arc::new(Mutex::new(Stats { last: "x".into() }));
    let s = stats.clone();
    tokio::spawn(async move { publish(&s.lock().unwrap().last).await }).await.unwrap();
}
