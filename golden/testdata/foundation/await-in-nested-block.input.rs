use std::sync::{Arc, Mutex};

async fn work() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let stale = Arc::new(Mutex::new(true));
    let s = stale.clone();
    let force = std::env::args().count() > 1;
    tokio::spawn(async move {
        let mut is_stale = s.lock().unwrap();
        *is_stale = false;
        if force {
            work().await
        }
    })
    .await
    .unwrap();
}
