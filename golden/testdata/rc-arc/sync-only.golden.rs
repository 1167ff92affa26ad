use std::cell::RefCell;
use std::rc::Rc;

struct Counter {
    hits: Rc<RefCell<u32>>,
}

fn bump(c: &Counter) {
    *c.hits.borrow_mut() += 1;
}

async fn tick() {}

#[tokio::main]
async fn main() {
    let c = Counter { hits: Rc::new(RefCell::new(0)) };
    bump(&c);
    let copy = Rc::clone(&c.hits);
    tick().await;
    println!("{}", copy.borrow());
}
