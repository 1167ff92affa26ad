// golden: expect=send-error
use std::cell::RefCell;
use std::rc::Rc;
use tokio::sync::Mutex;

async fn tick() {}

#[tokio::main]
async fn main() {
    let slot: Rc<RefCell<Mutex<u32>>> = Rc::new(RefCell::new(Mutex::new(1)));
    let s = Rc::clone(&slot);
    tokio::spawn(async move {
        tick().await;
        *s.borrow_mut() = Mutex::new(2);
    })
    .await
    .unwrap();
}
