// golden: run
use std::cell::Cell;
use std::rc::Rc;

async fn tick() {}

#[tokio::main]
async fn main() {
    let hits = Rc::new(Cell::new(0u32));
    let h = hits.clone();
    tokio::spawn(async move {
        h.set(h.get() + 1);
        tick().await;
    })
    .await
    .unwrap();
    assert_eq!(hits.get(), 1);
    println!("{}", hits.get());
}
