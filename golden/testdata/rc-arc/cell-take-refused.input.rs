// golden: expect=send-error
use std::cell::Cell;
use std::rc::Rc;

async fn tick() {}

#[tokio::main]
async fn main() {
    let pending = Rc::new(Cell::new(3u32));
    let p = pending.clone();
    tokio::spawn(async move {
        let n = p.take();
        tick().await;
        println!("{n}");
    })
    .await
    .unwrap();
    println!("{}", pending.get());
}
