use std::sync::{Arc, Mutex};

async fn send(msg: &str) {
    println!("sent {msg}");
}

#[tokio::main]
async fn main() {
    let outbox = Arc::new(Mutex::new(Vec::<&'static str>::new()));
    let o = outbox.clone();
    tokio::spawn(async move {
        let mut pending = o.lock().expect("outbox lock poisoned");
        pending.clear();
        send("hello").await;
    })
    .await
    .unwrap();
}
