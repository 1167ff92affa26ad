// golden: run
use std::sync::{Arc, Mutex};
struct Inner { v: Vec<u32> }
struct Outer { inner: Arc<Mutex<Inner>> }
impl Outer {
    fn add(&self, x: u32) { self.inner.lock().unwrap().v.push(x); }
    fn len(&self) -> usize { self.inner.lock().unwrap().v.len() }
}
async fn tick() {}
#[tokio::main]
async fn main() {
    let o = Outer { inner: Arc::new(Mutex::new(Inner { v: vec![] })) };
    tokio::spawn(async move { o.add(1); tick().await; o.add(2); assert_eq!(o.len(), 2); }).await.unwrap();
}
