// golden: expect=send-error
// The else of `if let Ok(g) = m.lock()` is the poisoned path. tokio's lock
// cannot be poisoned, so a swap would delete it; here it awaits, which is
// behaviour, so the swap is refused and the file left as it is.
use std::sync::{Arc, Mutex};

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    tokio::spawn(async move {
        if let Ok(g) = data.lock() {
            let n = g.len();
            drop(g);
            println!("{}", n);
        } else {
            tick().await;
        }
    })
    .await
    .unwrap();
}
