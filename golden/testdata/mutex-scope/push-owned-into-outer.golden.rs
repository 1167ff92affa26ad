// golden: run
use std::sync::{Arc, Mutex};

async fn work() {}

#[tokio::main]
async fn main() {
    let names = Arc::new(Mutex::new(vec!["a".to_string()]));
    let n = names.clone();
    tokio::spawn(async move {
        let mut out: Vec<String> = Vec::new();
        {
            let g = n.lock().unwrap();
            out.push(g[0].clone());
        }
        work().await;
        assert_eq!(out, ["a"]);
    })
    .await
    .unwrap();
}
