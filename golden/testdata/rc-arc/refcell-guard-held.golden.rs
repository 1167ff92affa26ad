// golden: run
use std::sync::{Arc, Mutex};

async fn flush() {}

#[tokio::main]
async fn main() {
    let counts = Arc::new(Mutex::new(vec![0u32; 4]));
    let c = Arc::clone(&counts);
    let task = tokio::spawn(async move {
        {
            let mut slots = c.lock().unwrap();
            slots[0] += 1;
            slots[3] += 2;
        }
        flush().await;
    });
    task.await.unwrap();
    println!("{:?}", counts.lock().unwrap());
}
