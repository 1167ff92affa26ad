use std::sync::{Arc, Mutex};

async fn report(_total: u32) {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(3u32));
    let misses = Arc::new(Mutex::new(4u32));
    let (h, m) = (hits.clone(), misses.clone());
    tokio::spawn(async move {
        let total = {
            let (mut a, b) = (h.lock().unwrap(), m.lock().unwrap());
            *a += 1;
            *a + *b
        };
        report(total).await;
    })
    .await
    .unwrap();
    assert_eq!(*hits.lock().unwrap(), 4);
}
