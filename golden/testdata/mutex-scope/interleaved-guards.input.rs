// golden: run
use std::sync::{Arc, Mutex};

async fn commit() {}

#[tokio::main]
async fn main() {
    let from = Arc::new(Mutex::new(100i64));
    let to = Arc::new(Mutex::new(0i64));
    let (f, t) = (from.clone(), to.clone());
    tokio::spawn(async move {
        let mut src = f.lock().unwrap();
        let mut dst = t.lock().unwrap();
        *src -= 40;
        *dst += 40;
        commit().await;
    })
    .await
    .unwrap();
    assert_eq!(*from.lock().unwrap() + *to.lock().unwrap(), 100);
}
