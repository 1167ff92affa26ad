// The negative twin of async-trait-impl: `#[async_trait(?Send)]` boxes
// the future without Send, and the code compiles as it is.
use async_trait::async_trait;
use std::sync::{Arc, Mutex};

async fn tick() {}

#[async_trait(?Send)]
trait Store {
    async fn put(&self, v: u32);
}

struct Memory {
    data: Mutex<Vec<u32>>,
}

#[async_trait(?Send)]
impl Store for Memory {
    async fn put(&self, v: u32) {
        let mut data = self.data.lock().unwrap();
        data.push(v);
        tick().await;
    }
}

#[tokio::main]
async fn main() {
    let store: Arc<dyn Store> = Arc::new(Memory { data: Mutex::new(Vec::new()) });
    store.put(1).await;
}
