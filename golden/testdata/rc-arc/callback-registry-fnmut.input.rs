// golden: run
use std::cell::RefCell;
use std::rc::Rc;

struct Registry {
    callbacks: Vec<Box<dyn FnMut(u32) -> u32>>,
}

impl Registry {
    fn on<F: FnMut(u32) -> u32 + 'static>(&mut self, f: F) {
        self.callbacks.push(Box::new(f));
    }
}

async fn tick() {}

#[tokio::main]
async fn main() {
    let reg = Rc::new(RefCell::new(Registry { callbacks: Vec::new() }));
    let r = Rc::clone(&reg);
    let total = tokio::spawn(async move {
        let mut seen = 0;
        r.borrow_mut().on(move |x| {
            seen += x;
            seen
        });
        r.borrow_mut().callbacks.push(Box::new(|x| x * 2));
        tick().await;
        let mut sum = 0;
        for cb in r.borrow_mut().callbacks.iter_mut() {
            sum += cb(3);
        }
        sum
    })
    .await
    .unwrap();
    assert_eq!(total, 9);
    println!("{} {}", total, reg.borrow().callbacks.len());
}
