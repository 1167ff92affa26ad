// golden: run
use std::cell::RefCell;
use std::rc::Rc;

async fn flush() {}

#[tokio::main]
async fn main() {
    let counts = Rc::new(RefCell::new(vec![0u32; 4]));
    let c = Rc::clone(&counts);
    let task = tokio::spawn(async move {
        let mut slots = c.borrow_mut();
        slots[0] += 1;
        slots[3] += 2;
        flush().await;
    });
    task.await.unwrap();
    println!("{:?}", counts.borrow());
}
