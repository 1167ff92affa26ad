use std::sync::{Arc, Mutex};

async fn flush(n: usize) {
    tokio::task::yield_now().await;
    assert_eq!(n, 2);
}

#[tokio::main]
async fn main() {
    let queue = Arc::new(Mutex::new(vec![1]));
    let q = queue.clone();
    tokio::spawn(async move {
        let n = {
            let mut jobs = match q.lock() {
                Ok(guard) => guard,
                Err(poisoned) => poisoned.into_inner(),
            };
            jobs.push(2);
            jobs.len()
        };
        flush(n).await;
    })
    .await
    .unwrap();
}
