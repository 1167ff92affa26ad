// golden: run
use std::sync::Arc;
use tokio::sync::{Mutex, RwLock};

async fn show(s: &str) {
    println!("{s}");
}

async fn greet(names: Arc<Mutex<Vec<String>>>, title: Arc<RwLock<String>>) {
    let list = names.lock().await;
    let t = title.read().await;
    for n in list.iter() {
        show(&format!("{t} {n}")).await;
    }
}

#[tokio::main]
async fn main() {
    let names = Arc::new(Mutex::new(vec!["a".to_string()]));
    let title = Arc::new(RwLock::new("hi".to_string()));
    tokio::spawn(greet(names, title)).await.unwrap();
}
