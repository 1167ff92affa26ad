// golden: run
// A tuple let binds a guard and two values; the values are used after the
// await, so they come out of the block (the guard does not).
use std::sync::{Arc, Mutex};

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    let got = tokio::spawn(async move {
        let (k, label, n) = {
            let (mut g, k, label) = (data.lock().unwrap(), 4u32, String::from("len"));
            g.push(k);
            let n = g.len();
            (k, label, n)
        };
        tick().await;
        format!("{} {} {}", label, k, n)
    })
    .await
    .unwrap();
    assert_eq!(got, "len 4 4");
}
