// golden: run
use std::sync::Arc;
use tokio::sync::Mutex;

const EMPTY: Mutex<Vec<u8>> = Mutex::const_new(Vec::new());

struct Buffers {
    out: Mutex<Vec<u8>>,
}

async fn fill() -> u8 {
    tokio::task::yield_now().await;
    7
}

#[tokio::main]
async fn main() {
    let b = Arc::new(Buffers { out: EMPTY });
    let b2 = b.clone();
    tokio::spawn(async move {
        let mut g = b2.out.lock().await;
        let v = fill().await;
        g.push(v);
    })
    .await
    .unwrap();
    assert_eq!(*b.out.lock().await, vec![7]);
}
