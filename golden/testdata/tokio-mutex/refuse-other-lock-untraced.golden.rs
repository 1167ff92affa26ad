// golden: expect=send-error
use std::sync::{Arc, Mutex};

async fn publish(total: u32) {
    tokio::task::yield_now().await;
    println!("{total}");
}

#[tokio::main]
async fn main() {
    let counters = Arc::new(vec![parking_lot::Mutex::new(1u32), parking_lot::Mutex::new(2)]);
    let total = Arc::new(Mutex::new(0u32));
    let (cs, t) = (counters.clone(), total.clone());
    tokio::spawn(async move {
        let mut sum = t.lock().unwrap();
        for c in cs.iter() {
            *sum += *c.lock();
        }
        publish(*sum).await;
        *sum = 0;
    })
    .await
    .unwrap();
}
