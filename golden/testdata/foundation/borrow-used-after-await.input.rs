// golden: args=--skip tokio-mutex
// golden: expect=send-error
use std::sync::{Arc, Mutex};

async fn greet(name: &str) {
    println!("hello {name}");
}

#[tokio::main]
async fn main() {
    let users = Arc::new(Mutex::new(vec![String::from("ana")]));
    let handle = tokio::spawn(async move {
        let list = users.lock().unwrap();
        let first = &list[0];
        greet("everyone").await;
        println!("first was {first}");
    });
    handle.await.unwrap();
}
