// golden: args=--skip tokio-mutex
// golden: expect=send-error
use std::sync::{Arc, RwLock};

async fn tick() {}

#[tokio::main]
async fn main() {
    let names = Arc::new(RwLock::new(vec!["a".to_string()]));
    let n = names.clone();
    tokio::spawn(async move {
        let list = n.read().unwrap();
        println!("{}", list.len());
        tick().await;
        println!("{:?}", list.first());
    })
    .await
    .unwrap();
}
