use std::sync::Arc;
use tokio::sync::Mutex;

async fn store(item: &str) {
    println!("stored {item}");
}

async fn drain(queue: Arc<Mutex<Vec<String>>>) {
    {
        let mut items = queue.lock().await;
        while let Some(item) = items.pop() {
            store(&item).await;
        }
    }
}

#[tokio::main]
async fn main() {
    let queue = Arc::new(Mutex::new(vec!["a".to_string(), "b".to_string()]));
    tokio::spawn(drain(queue.clone())).await.unwrap();
    let left = queue.lock().await.len();
    println!("{left} left");
}
