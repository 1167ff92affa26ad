use std::sync::Arc;

async fn log(line: &str) {
    println!("{line}");
}

#[tokio::main]
async fn main() {
    let config = Arc::new(String::from("verbose"));
    let mut handles = Vec::new();
    for i in 0..3 {
        let config = Arc::clone(&config);
        handles.push(tokio::spawn(async move {
            log(&format!("{i}: {config}")).await;
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    println!("strong count {}", Arc::strong_count(&config));
}
