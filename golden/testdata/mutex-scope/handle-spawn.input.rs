use std::sync::{Arc, Mutex};
use tokio::runtime::Handle;

async fn ping() {}

#[tokio::main]
async fn main() {
    let pings = Arc::new(Mutex::new(0u32));
    let handle = Handle::current();
    let p = pings.clone();
    handle
        .spawn(async move {
            let mut n = p.lock().unwrap();
            *n += 1;
            ping().await;
        })
        .await
        .unwrap();
}
