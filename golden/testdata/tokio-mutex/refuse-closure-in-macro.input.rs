// golden: expect=send-error
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

async fn work() {}

#[tokio::main]
async fn main() {
    let seen = Arc::new(Mutex::new(HashSet::new()));
    let s = seen.clone();
    tokio::spawn(async move {
        let mut g = s.lock().unwrap();
        g.insert(1u32);
        work().await;
        g.insert(2);
    })
    .await
    .unwrap();
    let want = [1u32, 2];
    assert!(want.iter().all(|x| seen.lock().unwrap().contains(x)));
}
