// golden: run
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
struct Counter { n: AtomicUsize }
impl Counter {
    fn next(&self) -> usize { let v = self.n.load(Ordering::SeqCst); self.n.store(v + 1, Ordering::SeqCst); v }
}
async fn tick() {}
#[tokio::main]
async fn main() {
    let c = Arc::new(Counter { n: AtomicUsize::new(0) });
    let c2 = c.clone();
    let r = tokio::spawn(async move { let a = c2.next(); tick().await; a + c2.next() }).await.unwrap();
    assert_eq!(r, 1);
    assert_eq!(c.n.load(Ordering::SeqCst), 2);
}
