// golden: expect=send-error
use std::cell::RefCell;
use std::rc::Rc;
async fn tick() {}
async fn work(log: Rc<RefCell<Vec<u32>>>) {
    let mut g = log.borrow_mut();
    g.push(1);
    tick().await;
    g.push(2);
}
#[tokio::main]
async fn main() {
    let log = Rc::new(RefCell::new(vec![]));
    tokio::spawn(work(log.clone())).await.unwrap();
}
