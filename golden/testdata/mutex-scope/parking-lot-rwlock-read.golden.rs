use parking_lot::RwLock;
use std::sync::Arc;

async fn send(names: Vec<String>) {
    println!("{names:?}");
}

#[tokio::main]
async fn main() {
    let users = Arc::new(RwLock::new(vec!["ann".to_string()]));
    let u = users.clone();
    tokio::spawn(async move {
        let names: Vec<String> = {
            let list = u.read();
            list.iter().cloned().collect()
        };
        send(names).await;
    })
    .await
    .unwrap();
}
