// golden: run
use std::sync::{Arc, Mutex};

async fn tick() {}

#[tokio::main]
async fn main() {
    let last: Arc<Mutex<Option<u32>>> = Arc::new(Mutex::new(None));
    let l = last.clone();
    tokio::spawn(async move {
        *l.lock().unwrap() = Some(1);
        tick().await;
        if (*l.lock().unwrap()).is_some() {
            *l.lock().unwrap() = Some(2);
        }
    })
    .await
    .unwrap();
    assert_eq!(*last.lock().unwrap(), Some(2));
    println!("{:?}", *last.lock().unwrap());
}
