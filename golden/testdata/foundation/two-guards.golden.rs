use std::sync::{Arc, Mutex};

async fn audit(event: &str) {
    println!("audit: {event}");
}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u64));
    let log = Arc::new(Mutex::new(Vec::<String>::new()));
    let (h, l) = (hits.clone(), log.clone());
    tokio::spawn(async move {
        {
            let mut count = h.lock().unwrap();
            *count += 1;
        }
        {
            let mut lines = l.lock().unwrap();
            lines.push("hit".to_string());
        }
        audit("hit").await;
    })
    .await
    .unwrap();
}
