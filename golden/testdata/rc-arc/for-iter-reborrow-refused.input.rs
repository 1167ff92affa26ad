// golden: expect=send-error
use std::cell::RefCell;
use std::rc::Rc;

async fn tick() {}

#[tokio::main]
async fn main() {
    let v = Rc::new(RefCell::new(vec![1, 2, 3]));
    let v2 = v.clone();
    let h = tokio::spawn(async move {
        tick().await;
        // The loop's borrow lives through the body: as a Mutex this deadlocks.
        for x in v2.borrow().iter() {
            if *x == 2 {
                println!("len {}", v2.borrow().len());
            }
        }
    });
    h.await.unwrap();
}
