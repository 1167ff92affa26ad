// golden: run
use std::sync::{Arc, Mutex, RwLock};

async fn send(line: String) {
    println!("{line}");
}

async fn relay(names: Arc<RwLock<Vec<String>>>, log: Arc<Mutex<Vec<String>>>) {
    let list = names.read().unwrap();
    let mut out = log.lock().unwrap();
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
    assert_eq!(log.lock().unwrap().len(), 1);
}
