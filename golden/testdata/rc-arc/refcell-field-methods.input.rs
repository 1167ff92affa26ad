// golden: run
use std::cell::RefCell;
use std::rc::Rc;
struct Inner { v: Vec<u32> }
struct Outer { inner: Rc<RefCell<Inner>> }
impl Outer {
    fn add(&self, x: u32) { self.inner.borrow_mut().v.push(x); }
    fn len(&self) -> usize { self.inner.borrow().v.len() }
}
async fn tick() {}
#[tokio::main]
async fn main() {
    let o = Outer { inner: Rc::new(RefCell::new(Inner { v: vec![] })) };
    tokio::spawn(async move { o.add(1); tick().await; o.add(2); assert_eq!(o.len(), 2); }).await.unwrap();
}
