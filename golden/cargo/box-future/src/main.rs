//! A handler returning `Pin<Box<dyn Future + Send>>`: the Send bound is in
//! a type, with no spawn in sight.
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Handler = Box<dyn Fn(Arc<Mutex<u32>>) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

async fn tick() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

fn handler() -> Handler {
    Box::new(|hits| {
        Box::pin(async move {
            let mut n = hits.lock().unwrap();
            *n += 1;
            tick().await;
        })
    })
}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0));
    let h = handler();
    h(hits.clone()).await;
    println!("{}", *hits.lock().unwrap());
}
