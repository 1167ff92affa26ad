// golden: run
use std::sync::Arc;
use tokio::sync::{Mutex, RwLock};

async fn send(line: String) {
    println!("{line}");
}

async fn relay(names: Arc<RwLock<Vec<String>>>, log: Arc<Mutex<Vec<String>>>) {
    let list = names.read().await;
    let mut out = log.lock().await;
    for n in list.iter() {
        send(n.clone()).await;
        out.push(n.clone());
    }
}

#[tokio::main]
async fn main() {
    let names = Arc::new(RwLock::new(vec!["a".to_string()]));
    let log = Arc::new(Mutex::new(Vec::new()));
    tokio::spawn(relay(names, log.clone())).await.unwrap();
    assert_eq!(log.lock().await.len(), 1);
}
