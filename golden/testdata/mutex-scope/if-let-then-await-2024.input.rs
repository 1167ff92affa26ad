// golden: edition=2024
// golden: run
// Edition 2024 drops an `if let` scrutinee's temporaries before the else,
// not before the body: an await in the body still holds the temporary
// guard, which is bound with `let` in a block of the scrutinee.
use std::sync::{Arc, Mutex};

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    tokio::spawn(async move {
        if let Some(x) = data.lock().unwrap().first().copied() {
            tick().await;
            println!("{}", x);
        } else {
            tick().await;
        }
    })
    .await
    .unwrap();
}
