// golden: run
use std::sync::{Arc, Mutex};

struct Registry {
    callbacks: Vec<Box<dyn FnMut(u32) -> u32 + Send>>,
}

impl Registry {
    fn on<F: FnMut(u32) -> u32 + 'static + Send>(&mut self, f: F) {
        self.callbacks.push(Box::new(f));
    }
}

async fn tick() {}

#[tokio::main]
async fn main() {
    let reg = Arc::new(Mutex::new(Registry { callbacks: Vec::new() }));
    let r = Arc::clone(&reg);
    let total = tokio::spawn(async move {
        let mut seen = 0;
        r.lock().unwrap().on(move |x| {
            seen += x;
            seen
        });
        r.lock().unwrap().callbacks.push(Box::new(|x| x * 2));
        tick().await;
        let mut sum = 0;
        for cb in r.lock().unwrap().callbacks.iter_mut() {
            sum += cb(3);
        }
        sum
    })
    .await
    .unwrap();
    assert_eq!(total, 9);
    println!("{} {}", total, reg.lock().unwrap().callbacks.len());
}
