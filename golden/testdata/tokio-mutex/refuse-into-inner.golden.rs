// golden: expect=send-error
use std::sync::{Arc, Mutex};

async fn work() {}

#[tokio::main]
async fn main() {
    let m = Arc::new(Mutex::new(vec![1]));
    let m2 = m.clone();
    tokio::spawn(async move {
        let mut g = m2.lock().unwrap();
        work().await;
        g.push(2);
    })
    .await
    .unwrap();
    let inner = Arc::try_unwrap(m).unwrap();
    let v = inner.into_inner();
    println!("{:?}", v.unwrap_or_default());
}
