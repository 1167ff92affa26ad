use std::sync::{Arc, Mutex};

async fn publish(n: usize) {
    println!("{n} items");
}

#[tokio::main]
async fn main() {
    let items = Arc::new(Mutex::new(vec![1, 2, 3]));
    let i = items.clone();
    tokio::spawn(async move {
        {
            let Ok(mut list) = i.lock() else {
                return;
            };
            list.push(4);
        }
        publish(4).await;
    })
    .await
    .unwrap();
}
