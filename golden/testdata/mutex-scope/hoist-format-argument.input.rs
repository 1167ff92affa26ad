// golden: run
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

async fn audit(tables: Arc<Mutex<Vec<String>>>, log: mpsc::Sender<String>, op: &str) {
    let tbl = tables.lock().unwrap();
    log.send(format!("{op}: {} rows", tbl.len())).await.unwrap();
}

#[tokio::main]
async fn main() {
    let (log, mut rx) = mpsc::channel(1);
    let tables = Arc::new(Mutex::new(vec!["users".to_string()]));
    tokio::spawn(audit(tables.clone(), log, "insert")).await.unwrap();
    assert_eq!(rx.recv().await.as_deref(), Some("insert: 1 rows"));
}
