// golden: run
use std::sync::{Arc, Mutex};

async fn tick() {}

#[tokio::main]
async fn main() {
    let log: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(Vec::new()));
    let task_log = log.clone();
    tokio::spawn(async move {
        task_log.lock().unwrap().push("start".to_string());
        tick().await;
        {
            let entries = task_log.lock().unwrap();
            println!("{} entries", entries.len());
            drop(entries);
        }
        tick().await;
        task_log.lock().unwrap().push("end".to_string());
    })
    .await
    .unwrap();
    assert_eq!(log.lock().unwrap().len(), 2);
}
