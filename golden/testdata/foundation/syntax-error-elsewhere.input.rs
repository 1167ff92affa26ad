use std::sync::{Arc, Mutex};

async fn log_line(line: String) {
    println!("{line}");
}

async fn retry_twice() -> u32 {
    let attempt = async || 1u32;
    attempt().await + attempt().await
}

#[tokio::main]
async fn main() {
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let l = lines.clone();
    tokio::spawn(async move {
        let mut buf = l.lock().unwrap();
        buf.push("start".to_string());
        log_line("start".to_string()).await;
    });
    println!("{}", retry_twice().await);
}
