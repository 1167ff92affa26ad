use std::cell::RefCell;
use std::rc::Rc;

async fn tick() {}

#[tokio::main]
async fn main() {
    let local = tokio::task::LocalSet::new();
    let seen = Rc::new(RefCell::new(Vec::new()));
    let s = seen.clone();
    local
        .run_until(async move {
            tokio::task::spawn_local(async move {
                s.borrow_mut().push(1);
                tick().await;
                s.borrow_mut().push(2);
            })
            .await
            .unwrap();
        })
        .await;
    println!("{:?}", seen.borrow());
}
