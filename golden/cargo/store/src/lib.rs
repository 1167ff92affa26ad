//! A counter store whose lock is hidden behind a method: only the type of
//! `Store::entries` says that it returns a MutexGuard.
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

#[derive(Default)]
pub struct Store {
    entries: Mutex<Vec<u64>>,
}

impl Store {
    pub fn new() -> Arc<Store> {
        Arc::new(Store::default())
    }

    /// Returns the locked entries.
    pub fn entries(&self) -> MutexGuard<'_, Vec<u64>> {
        self.entries.lock().unwrap()
    }
}

async fn flush() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

/// Records a value, then flushes. The bin spawns this future.
pub async fn record(store: Arc<Store>, value: u64) {
    let mut entries = store.entries();
    entries.push(value);
    let total: u64 = entries.iter().sum();
    println!("total {total}");
    flush().await;
}

/// A future that can run in the background: Send, with nothing borrowed.
pub trait SendJob: std::future::Future<Output = ()> + Send + 'static {}
impl<T: std::future::Future<Output = ()> + Send + 'static> SendJob for T {}
