use parking_lot::Mutex;
use std::sync::Arc;

async fn persist(total: u64) {
    println!("total {total}");
}

#[tokio::main]
async fn main() {
    let total = Arc::new(Mutex::new(0u64));
    let t = total.clone();
    tokio::spawn(async move {
        let mut sum = t.lock();
        *sum += 10;
        persist(10).await;
    })
    .await
    .unwrap();
}
