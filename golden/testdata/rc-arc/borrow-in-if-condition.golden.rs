// golden: run
use std::sync::{Arc, Mutex};

async fn tick() {}

#[tokio::main]
async fn main() {
    let q = Arc::new(Mutex::new(Vec::new()));
    let q2 = q.clone();
    let h = tokio::spawn(async move {
        for i in 0..3 {
            // The condition's borrow ends before the branch borrows again.
            if q2.lock().unwrap().len() < 2 {
                q2.lock().unwrap().push(i);
            }
            tick().await;
        }
        q2.lock().unwrap().len()
    });
    assert_eq!(h.await.unwrap(), 2);
}
