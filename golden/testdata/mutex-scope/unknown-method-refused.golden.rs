// golden: expect=send-error
use std::sync::{Arc, Mutex};

async fn save() {}

#[tokio::main]
async fn main() {
    let line = Arc::new(Mutex::new(String::from("tab\there")));
    let l = line.clone();
    tokio::spawn(async move {
        let g = l.lock().unwrap();
        let escaped = g.escape_debug();
        save().await;
        println!("{escaped}");
    })
    .await
    .unwrap();
}
