// golden: edition=2024
// Reduced from TestGenerated seed=1 index=1180: in edition 2024 an `if let`
// scrutinee's temporaries are dropped before the else branch, so an await
// there compiles; mutex-scope still hoists the scrutinee into a block (a change
// to a compiling file). In 2021 the same input fails and the fix is right.
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
