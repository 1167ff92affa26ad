// golden: run
use std::cell::Cell;
use std::rc::Rc;

async fn tick() {}

#[tokio::main]
async fn main() {
    let last: Rc<Cell<Option<u32>>> = Rc::new(Cell::new(None));
    let l = last.clone();
    tokio::spawn(async move {
        l.set(Some(1));
        tick().await;
        if l.get().is_some() {
            l.set(Some(2));
        }
    })
    .await
    .unwrap();
    assert_eq!(last.get(), Some(2));
    println!("{:?}", last.get());
}
