use store::SendJob;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use store::Store;

async fn tick() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

/// Runs a job in the background: the bound, a trait of the store crate,
/// makes its future Send-required with no spawn or Send in sight here.
fn in_background<F>(job: F) -> tokio::task::JoinHandle<()>
where
    F: SendJob,
{
    tokio::spawn(job)
}

/// Two spawns, both holding a guard across an await: rustc reports one
/// at a time.
async fn two_spawns(counter: Arc<Mutex<u64>>, store: Arc<Store>) {
    let c = counter.clone();
    let a = tokio::spawn(async move {
        let mut n = c.lock().unwrap();
        *n += 1;
        tick().await;
    });
    let s = store.clone();
    let b = tokio::spawn(async move {
        let entries = s.entries();
        println!("{} entries", entries.len());
        tick().await;
    });
    a.await.unwrap();
    b.await.unwrap();
}

#[tokio::main]
async fn main() {
    let store = Store::new();
    let counter = Arc::new(Mutex::new(0u64));

    tokio::spawn(store::record(store.clone(), 7)).await.unwrap();

    let c = counter.clone();
    in_background(async move {
        let mut n = c.lock().unwrap();
        *n += 10;
        tick().await;
    })
    .await
    .unwrap();

    two_spawns(counter.clone(), store.clone()).await;
    println!("{}", *counter.lock().unwrap());
}
