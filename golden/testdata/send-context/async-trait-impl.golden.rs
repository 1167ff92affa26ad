// An async fn of an `#[async_trait]` impl: the macro boxes its future as
// `dyn Future + Send`.
use async_trait::async_trait;
use std::sync::{Arc, Mutex};

async fn tick() {}

#[async_trait]
trait Store {
    async fn put(&self, v: u32);
}

struct Memory {
    data: Mutex<Vec<u32>>,
}

#[async_trait]
impl Store for Memory {
    async fn put(&self, v: u32) {
        {
            let mut data = self.data.lock().unwrap();
            data.push(v);
        }
        tick().await;
    }
}

#[tokio::main]
async fn main() {
    let store: Arc<dyn Store + Send + Sync> = Arc::new(Memory { data: Mutex::new(Vec::new()) });
    store.put(1).await;
}
