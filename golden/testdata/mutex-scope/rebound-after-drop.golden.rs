use std::sync::{Arc, Mutex};

async fn step() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    tokio::spawn(async move {
        {
            let mut g = h.lock().unwrap();
            *g += 1;
            drop(g);
        }
        step().await;
        let g = "done";
        println!("{g}");
    })
    .await
    .unwrap();
    assert_eq!(*hits.lock().unwrap(), 1);
}
