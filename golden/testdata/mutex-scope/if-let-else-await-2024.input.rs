// golden: edition=2024
// In edition 2024 an `if let` scrutinee's temporaries are dropped before
// the else branch, so an await there holds no guard: the program compiles
// and is left as it is (in 2021 it fails: if-let-else-await-2021).
use std::sync::{Arc, Mutex};

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    tokio::spawn(async move {
        if let Some(x) = data.lock().unwrap().first().copied() {
            println!("{}", x);
        } else {
            tick().await;
        }
    })
    .await
    .unwrap();
}
