// golden: args=--rules mutex-scope
// golden: expect=send-error
use std::sync::{Arc, Mutex};

async fn work() {}

#[tokio::main]
async fn main() {
    let names = Arc::new(Mutex::new(vec!["a".to_string()]));
    let n = names.clone();
    tokio::spawn(async move {
        let mut out: Vec<&str> = Vec::new();
        let g = n.lock().unwrap();
        out.push(g[0].as_str());
        work().await;
        println!("{out:?}");
    })
    .await
    .unwrap();
}
