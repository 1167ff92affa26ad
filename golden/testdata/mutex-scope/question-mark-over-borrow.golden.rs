// golden: args=--rules mutex-scope
// golden: expect=send-error
use std::sync::{Arc, Mutex};

async fn notify() {}

async fn first_name(names: Arc<Mutex<Vec<String>>>) -> Option<usize> {
    let names = names.lock().unwrap();
    let first = names.first().ok_or(()).ok()?;
    notify().await;
    Some(first.len())
}

#[tokio::main]
async fn main() {
    let names = Arc::new(Mutex::new(vec!["ann".to_string()]));
    tokio::spawn(first_name(names)).await.unwrap();
}
