//! A `tokio::sync::watch::Ref` held across an await: not a lock guard, but
//! rustc names it, and it is not used after the await.
use std::time::Duration;

use tokio::sync::watch;

async fn tick() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

#[tokio::main]
async fn main() {
    let (tx, rx) = watch::channel(5u32);
    tokio::spawn(async move {
        let v = rx.borrow();
        println!("seen {}", *v);
        tick().await;
    })
    .await
    .unwrap();
    drop(tx);
}
