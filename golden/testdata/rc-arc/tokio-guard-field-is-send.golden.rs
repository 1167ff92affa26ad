use std::rc::Rc;
use std::sync::Arc;
use tokio::sync::{Mutex, OnceCell, OwnedMutexGuard};

struct Job {
    slot: OwnedMutexGuard<Vec<u8>>,
    name: OnceCell<String>,
}

async fn tick() {}

#[tokio::main]
async fn main() {
    let local = Rc::new(1u8);
    let data = Arc::new(Mutex::new(vec![1u8]));
    let job = Job { slot: data.lock_owned().await, name: OnceCell::new() };
    tokio::spawn(async move {
        tick().await;
        let _ = job.name.set("j".into());
        println!("{} {:?}", job.slot.len(), job.name.get());
    })
    .await
    .unwrap();
    println!("{local}");
}
