// golden: run
// An Rc made in an async fn whose future is spawned, held across an await
// in a nested loop: the fn's own body is Send-required.
use std::cell::RefCell;
use std::rc::Rc;

async fn tick() {
    tokio::task::yield_now().await;
}

async fn task() -> u32 {
    let counter = Rc::new(RefCell::new(1u32));
    for _round in 0..2 {
        for _ in 0..2 {
            tick().await;
        }
        *counter.borrow_mut() += 1;
    }
    let n = *counter.borrow();
    n
}

#[tokio::main]
async fn main() {
    let n = tokio::spawn(task()).await.unwrap();
    assert_eq!(n, 3);
}
