// golden: expect=send-error
use std::cell::RefCell;
use std::rc::Rc;

struct Inv {
    items: Vec<u32>,
}

fn total(inv: &Rc<RefCell<Inv>>) -> u32 {
    inv.borrow().items.iter().sum()
}

async fn tick() {}

#[tokio::main]
async fn main() {
    let inv = Rc::new(RefCell::new(Inv { items: vec![1, 2] }));
    let i2 = inv.clone();
    let h = tokio::spawn(async move {
        tick().await;
        let g = i2.borrow();
        let t = total(&i2); // borrows again while `g` is alive
        t + g.items.len() as u32
    });
    println!("{}", h.await.unwrap());
}
