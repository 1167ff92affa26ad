// golden: run
use std::cell::Cell;
use std::rc::Rc;
struct Counter { n: Cell<usize> }
impl Counter {
    fn next(&self) -> usize { let v = self.n.get(); self.n.set(v + 1); v }
}
async fn tick() {}
#[tokio::main]
async fn main() {
    let c = Rc::new(Counter { n: Cell::new(0) });
    let c2 = c.clone();
    let r = tokio::spawn(async move { let a = c2.next(); tick().await; a + c2.next() }).await.unwrap();
    assert_eq!(r, 1);
    assert_eq!(c.n.get(), 2);
}
