use std::sync::{Arc, Mutex};

async fn publish(n: usize) {
    println!("{n}");
}

#[tokio::main]
async fn main() {
    let items = Arc::new(Mutex::new(vec![1]));
    let i = items.clone();
    tokio::spawn(async move {
        i.lock().unwrap().push(2);
        let n = i.lock().unwrap().len();
        let first = *i.lock().unwrap().first().unwrap();
        publish(n + first).await;
    })
    .await
    .unwrap();
}
