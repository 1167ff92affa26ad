// An async fn implementing a trait method the file declares to return
// `impl Future + Send`.
use std::future::Future;
use std::sync::{Arc, Mutex};

async fn tick() {}

trait Store {
    fn put(&self, v: u32) -> impl Future<Output = ()> + Send;
}

struct Memory {
    data: Mutex<Vec<u32>>,
}

impl Store for Memory {
    async fn put(&self, v: u32) {
        let mut data = self.data.lock().unwrap();
        data.push(v);
        tick().await;
    }
}

#[tokio::main]
async fn main() {
    let store = Arc::new(Memory { data: Mutex::new(Vec::new()) });
    store.put(1).await;
}
