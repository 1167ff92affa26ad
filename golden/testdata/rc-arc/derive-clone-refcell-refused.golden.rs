// golden: expect=send-error
use std::cell::RefCell;
use std::rc::Rc;
#[derive(Clone)]
struct State { cache: RefCell<Vec<u8>> }
async fn tick() {}
#[tokio::main]
async fn main() {
    let s = Rc::new(State { cache: RefCell::new(vec![]) });
    let t = s.clone();
    tokio::spawn(async move { t.cache.borrow_mut().push(1); tick().await; }).await.unwrap();
}
