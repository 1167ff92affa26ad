use std::sync::Arc;

async fn send_line(line: &str) -> usize {
    line.len()
}

async fn flush(log: Arc<std::sync::Mutex<Vec<String>>>) -> usize {
    let mut lines = log.lock().unwrap();
    let mut sent = 0;
    for line in lines.iter() {
        sent += send_line(line).await;
    }
    lines.clear();
    sent
}

#[tokio::main]
async fn main() {
    let log = Arc::new(std::sync::Mutex::new(vec!["one".to_string()]));
    let sent = tokio::spawn(flush(log.clone())).await.unwrap();
    println!("sent {sent} bytes, {} left", log.lock().unwrap().len());
}
