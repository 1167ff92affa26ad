use std::rc::*;
use std::sync::{Arc, Weak};

async fn tick() {}

#[tokio::main]
async fn main() {
    let msg = Arc::new(String::from("star"));
    let w: Weak<String> = Arc::downgrade(&msg);
    let m = msg.clone();
    let h = tokio::spawn(async move {
        tick().await;
        println!("{m}");
    });
    h.await.unwrap();
    println!("{}", w.upgrade().is_some());
}
