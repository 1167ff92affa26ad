use std::sync::{Arc, Mutex};

async fn send(line: &str) {
    println!("{line}");
}

#[tokio::main]
async fn main() {
    let outbox = Arc::new(Mutex::new(vec!["x".to_string()]));
    let o = outbox.clone();
    tokio::spawn(async move {
        {
            let mut lines = o.lock().unwrap();
            lines.push("y".to_string());
        }
        for line in ["a", "b"] {
            send(line).await;
        }
    })
    .await
    .unwrap();
}
