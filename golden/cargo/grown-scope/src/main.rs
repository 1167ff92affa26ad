//! A binding borrowed from the guard (`trim_start` returns a `&str` into
//! it) is used after the guard's last use: a scope that ended with the
//! guard's last use would be E0597; the block grows to the borrower's last
//! use (the ladder's grown scope) and compiles.
use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn tick() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

#[tokio::main]
async fn main() {
    let name = Arc::new(Mutex::new(String::from("  worker")));
    let n = name.clone();
    tokio::spawn(async move {
        let g = n.lock().unwrap();
        let short = g.trim_start();
        println!("hello {short}");
        tick().await;
    })
    .await
    .unwrap();
}
