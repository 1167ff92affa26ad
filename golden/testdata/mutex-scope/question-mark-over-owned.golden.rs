// golden: run
use std::sync::{Arc, Mutex};

async fn notify() {}

async fn first_name(names: Arc<Mutex<Vec<String>>>) -> Option<usize> {
    let first = {
        let names = names.lock().unwrap();
        names.first().cloned().ok_or(()).ok()?
    };
    notify().await;
    Some(first.len())
}

#[tokio::main]
async fn main() {
    let names = Arc::new(Mutex::new(vec!["ann".to_string()]));
    let got = tokio::spawn(first_name(names)).await.unwrap();
    assert_eq!(got, Some(3));
}
