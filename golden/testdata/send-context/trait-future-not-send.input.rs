// The negative twin of trait-send-future: the trait asks no Send.
use std::future::Future;
use std::sync::{Arc, Mutex};

async fn tick() {}

trait Store {
    fn put(&self, v: u32) -> impl Future<Output = ()>;
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
