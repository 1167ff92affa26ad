// golden: expect=send-error
use std::cell::RefCell;
use std::rc::Rc;

async fn tick() {}

#[tokio::main]
async fn main() {
    let queue = Rc::new(RefCell::new(vec![1, 2, 3]));
    let q = queue.clone();
    tokio::spawn(async move {
        if let Ok(mut items) = q.try_borrow_mut() {
            items.pop();
        }
        tick().await;
    })
    .await
    .unwrap();
    println!("{:?}", queue.borrow());
}
