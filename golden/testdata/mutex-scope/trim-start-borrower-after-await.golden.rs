// golden: args=--rules mutex-scope
// golden: expect=send-error
use std::sync::{Arc, Mutex};

async fn save() {}

#[tokio::main]
async fn main() {
    let line = Arc::new(Mutex::new(String::from("  hello")));
    let l = line.clone();
    tokio::spawn(async move {
        let g = l.lock().unwrap();
        let s = g.trim_start();
        save().await;
        println!("{s}");
    })
    .await
    .unwrap();
}
