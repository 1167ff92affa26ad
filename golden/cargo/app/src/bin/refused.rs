use std::time::Duration;

use store::Store;

async fn tick() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

#[tokio::main]
async fn main() {
    let store = Store::new();
    let s = store.clone();
    tokio::spawn(async move {
        let mut entries = s.entries();
        entries.push(1);
        tick().await;
        // Used after the await: scoping would change what the code does,
        // and the Mutex lives in another crate.
        entries.push(2);
    })
    .await
    .unwrap();
}
