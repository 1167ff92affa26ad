// golden: run
use std::sync::{self, Arc};
use tokio::sync::Mutex;

struct Metrics {
    errors: tokio::sync::Mutex<u32>,
}

async fn fetch() -> String {
    tokio::task::yield_now().await;
    "b".to_string()
}

#[tokio::main]
async fn main() {
    let metrics = Metrics { errors: tokio::sync::Mutex::new(0) };
    *metrics.errors.lock().await += 1;
    let names = Arc::new(Mutex::new(vec!["a".to_string()]));
    let n = names.clone();
    tokio::spawn(async move {
        let mut g = n.lock().await;
        let s = fetch().await;
        g.push(s);
    })
    .await
    .unwrap();
    assert_eq!(*metrics.errors.lock().await, 1);
    assert_eq!(names.lock().await.len(), 2);
}
