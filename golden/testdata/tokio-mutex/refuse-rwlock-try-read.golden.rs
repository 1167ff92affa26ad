// golden: expect=send-error
use std::sync::{Arc, RwLock};

async fn show(v: u32) {
    println!("{v}");
}

async fn watch(v: Arc<RwLock<u32>>) {
    let g = v.read().unwrap();
    show(*g).await;
    println!("{}", *g);
}

#[tokio::main]
async fn main() {
    let v = Arc::new(RwLock::new(1));
    tokio::spawn(watch(v.clone())).await.unwrap();
    // A failed try_read means "poisoned or busy" for std, "busy" for tokio.
    if let Ok(g) = v.try_read() {
        println!("{}", *g);
    }
}
