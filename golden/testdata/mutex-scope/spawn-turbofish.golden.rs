use std::sync::{Arc, Mutex};

async fn tick() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    let task = tokio::spawn::<_>(async move {
        {
            let mut n = h.lock().unwrap();
            *n += 1;
        }
        tick().await;
    });
    task.await.unwrap();
    println!("{}", *hits.lock().unwrap());
}
