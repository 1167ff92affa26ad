use std::sync::{Arc, Mutex};

async fn write_log(line: &str) {
    println!("{line}");
}

async fn record(log: Arc<Mutex<Vec<String>>>, line: String) {
    let mut lines = log.lock().unwrap();
    lines.push(line.clone());
    write_log(&line).await;
}

async fn serve(log: Arc<Mutex<Vec<String>>>) {
    record(log, "connected".to_string()).await;
}

#[tokio::main]
async fn main() {
    let log = Arc::new(Mutex::new(Vec::new()));
    tokio::spawn(serve(log)).await.unwrap();
}
