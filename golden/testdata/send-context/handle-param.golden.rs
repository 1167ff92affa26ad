// A parameter typed `&Handle`.
use std::sync::{Arc, Mutex};
use tokio::runtime::Handle;
use tokio::task::JoinHandle;

async fn tick() {}

fn start(handle: &Handle, hits: Arc<Mutex<u32>>) -> JoinHandle<()> {
    handle.spawn(async move {
        {
            let mut n = hits.lock().unwrap();
            *n += 1;
        }
        tick().await;
    })
}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    start(&Handle::current(), hits.clone()).await.unwrap();
}
