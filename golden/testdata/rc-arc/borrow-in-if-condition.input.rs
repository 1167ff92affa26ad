// golden: run
use std::cell::RefCell;
use std::rc::Rc;

async fn tick() {}

#[tokio::main]
async fn main() {
    let q = Rc::new(RefCell::new(Vec::new()));
    let q2 = q.clone();
    let h = tokio::spawn(async move {
        for i in 0..3 {
            // The condition's borrow ends before the branch borrows again.
            if q2.borrow().len() < 2 {
                q2.borrow_mut().push(i);
            }
            tick().await;
        }
        q2.borrow().len()
    });
    assert_eq!(h.await.unwrap(), 2);
}
