// generated: seed=1 index=225
// parts: edition=2024 lock=none await=for-loop wrap=for-loop ctx=spawn-fn rc=rc-refcell-held outside=none
// golden: edition=2024
use std::cell::RefCell;
use std::rc::Rc;

fn sink<T: std::fmt::Debug>(v: T) {
    let _ = format!("{:?}", v);
}

async fn tick() {
    tokio::task::yield_now().await;
}

async fn task() {
    let counter = Rc::new(RefCell::new(1u32));
    for _round in 0..2 {
        for _ in 0..2 {
            tick().await;
        }
    }
    *counter.borrow_mut() += 1;
    sink(counter.borrow().clone());
}

#[tokio::main]
async fn main() {
    tokio::spawn(task()).await.unwrap();
}
