// golden: run
use std::cell::Cell;
use std::rc::Rc;
fn bump(c: &Cell<u32>) { c.set(c.get() * 2 + 1); }
async fn tick() {}
#[tokio::main]
async fn main() {
    let hits = Rc::new(Cell::new(1u32));
    let h = Rc::clone(&hits);
    tokio::spawn(async move { bump(&h); tick().await; let v = h.get().to_string(); println!("{v}"); }).await.unwrap();
    println!("{}", hits.get());
}
