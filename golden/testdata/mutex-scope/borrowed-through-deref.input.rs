use std::sync::{Arc, Mutex};

async fn notify() {}

#[tokio::main]
async fn main() {
    let log = Arc::new(Mutex::new(Vec::<String>::new()));
    let l = log.clone();
    tokio::spawn(async move {
        let entries = &mut *l.lock().unwrap();
        entries.push("start".to_string());
        notify().await;
    })
    .await
    .unwrap();
    assert_eq!(log.lock().unwrap().len(), 1);
}
