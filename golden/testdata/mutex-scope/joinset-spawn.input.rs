use std::sync::{Arc, Mutex};
use tokio::task::JoinSet;

async fn fetch(i: u32) -> u32 {
    i * 2
}

#[tokio::main]
async fn main() {
    let results = Arc::new(Mutex::new(Vec::new()));
    let mut set = JoinSet::new();
    for i in 0..3 {
        let r = results.clone();
        set.spawn(async move {
            let mut out = r.lock().unwrap();
            out.push(i);
            fetch(i).await
        });
    }
    while set.join_next().await.is_some() {}
}
