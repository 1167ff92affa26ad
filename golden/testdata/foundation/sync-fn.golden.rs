use std::sync::{Arc, Mutex};

fn bump(counter: &Mutex<u64>) -> u64 {
    let mut guard = counter.lock().unwrap();
    *guard += 1;
    let now = *guard;
    println!("bumped to {now}");
    now
}

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let counter = Arc::new(Mutex::new(0));
    let c = counter.clone();
    tokio::spawn(async move {
        bump(&c);
        tick().await;
    })
    .await
    .unwrap();
    assert_eq!(bump(&counter), 2);
}
