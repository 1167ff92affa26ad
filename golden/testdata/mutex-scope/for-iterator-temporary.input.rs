// The guard is a temporary of a `for` loop's iterator expression, which
// lives for the whole loop, and the loop body awaits.
use std::sync::{Arc, Mutex};

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    tokio::spawn(async move {
        for x in data.lock().unwrap().clone() {
            tick().await;
            println!("{}", x);
        }
    })
    .await
    .unwrap();
}
