// golden: run
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[tokio::main]
async fn main() {
    let ticks = Arc::new(Mutex::new(0u32));
    let t = ticks.clone();
    tokio::spawn(async move {
        for _ in 0..3 {
            let mut n = t.lock().unwrap();
            *n += 1;
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    })
    .await
    .unwrap();
    assert_eq!(*ticks.lock().unwrap(), 3);
}
