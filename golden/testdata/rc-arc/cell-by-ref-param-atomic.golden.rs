// golden: run
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
fn bump(c: &AtomicU32) { c.store(c.load(Ordering::SeqCst) * 2 + 1, Ordering::SeqCst); }
async fn tick() {}
#[tokio::main]
async fn main() {
    let hits = Arc::new(AtomicU32::new(1u32));
    let h = Arc::clone(&hits);
    tokio::spawn(async move { bump(&h); tick().await; let v = h.load(Ordering::SeqCst).to_string(); println!("{v}"); }).await.unwrap();
    println!("{}", hits.load(Ordering::SeqCst));
}
