// golden: run
use std::cell::RefCell;
use std::rc::Rc;
use tokio::sync::Mutex;

async fn tick() {}

#[tokio::main]
async fn main() {
    let queue: Rc<RefCell<Mutex<Vec<u32>>>> = Rc::new(RefCell::new(Mutex::new(Vec::new())));
    let q = Rc::clone(&queue);
    tokio::spawn(async move {
        let mut g = q.borrow().lock().await;
        g.push(1);
        tick().await;
        g.push(2);
    })
    .await
    .unwrap();
    assert_eq!(queue.borrow().lock().await.len(), 2);
    println!("{:?}", queue.borrow_mut().lock().await);
}
