// golden: run
// `tokio::select!` awaits its branches: a guard taken in the loop body and
// alive at the select is held across it. The value read from it escapes.
use std::sync::{Arc, Mutex};

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    let got = tokio::spawn(async move {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<u32>(1);
        tx.send(5).await.unwrap();
        let mut seen = 0;
        loop {
            let n = {
                let g = data.lock().unwrap();
                g.len()
            };
            tokio::select! {
                v = rx.recv() => {
                    seen += v.unwrap_or(0) as usize + n;
                    break;
                }
                _ = tick() => {}
            }
        }
        seen
    })
    .await
    .unwrap();
    assert_eq!(got, 8);
}
