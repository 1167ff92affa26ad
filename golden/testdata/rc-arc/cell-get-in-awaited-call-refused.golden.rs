// golden: expect=send-error
use std::cell::Cell;
use std::rc::Rc;
async fn store(_x: Option<String>) {}
#[tokio::main]
async fn main() {
    let name: Rc<Cell<Option<&'static str>>> = Rc::new(Cell::new(Some("a")));
    let n = name.clone();
    tokio::spawn(async move { store(n.get().map(String::from)).await; }).await.unwrap();
}
