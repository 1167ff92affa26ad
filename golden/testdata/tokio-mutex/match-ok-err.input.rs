use std::sync::{Arc, Mutex};

async fn store(item: &str) {
    println!("stored {item}");
}

async fn drain(queue: Arc<Mutex<Vec<String>>>) {
    match queue.lock() {
        Ok(mut items) => {
            while let Some(item) = items.pop() {
                store(&item).await;
            }
        }
        Err(poisoned) => {
            panic!("queue poisoned: {poisoned}");
        }
    }
}

#[tokio::main]
async fn main() {
    let queue = Arc::new(Mutex::new(vec!["a".to_string(), "b".to_string()]));
    tokio::spawn(drain(queue.clone())).await.unwrap();
    let left = queue.lock().unwrap().len();
    println!("{left} left");
}
