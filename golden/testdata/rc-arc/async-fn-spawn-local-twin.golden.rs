// The twin of async-fn-spawned-local-in-loop: the same fn's future goes to
// spawn_local, which needs no Send, so nothing changes.
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
    let local = tokio::task::LocalSet::new();
    let n = local.run_until(async { tokio::task::spawn_local(task()).await.unwrap() }).await;
    assert_eq!(n, 3);
}
