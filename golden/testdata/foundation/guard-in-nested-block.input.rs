use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn pause() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

#[tokio::main]
async fn main() {
    let ticks = Arc::new(Mutex::new(0u32));
    let t = ticks.clone();
    tokio::spawn(async move {
        for round in 0..3 {
            if round > 0 {
                let mut count = t.lock().unwrap();
                *count += round;
                pause().await;
            }
        }
    })
    .await
    .unwrap();
}
