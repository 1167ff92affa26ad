// golden: run
// An Rc made inside the spawned future and used after an await: the future
// holds it across the await, so it is not Send.
use std::sync::Arc;

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    tokio::spawn(async move {
        let local = Arc::new(1u32);
        tick().await;
        println!("{}", local);
    })
    .await
    .unwrap();
}
