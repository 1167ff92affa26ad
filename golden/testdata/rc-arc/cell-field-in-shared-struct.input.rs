// golden: run
use std::cell::Cell;
use std::rc::Rc;

struct Stats {
    hits: Cell<u64>,
    open: Cell<bool>,
}

impl Stats {
    fn hit(&self) {
        self.hits.set(self.hits.get() + 1);
    }
}

async fn tick() {}

#[tokio::main]
async fn main() {
    let stats = Rc::new(Stats { hits: Cell::new(0), open: Cell::new(true) });
    let s = Rc::clone(&stats);
    tokio::spawn(async move {
        s.hit();
        tick().await;
        s.hit();
        s.open.set(false);
    })
    .await
    .unwrap();
    assert_eq!(stats.hits.get(), 2);
    assert!(!stats.open.get());
    println!("{} {}", stats.hits.get(), stats.open.get());
}
