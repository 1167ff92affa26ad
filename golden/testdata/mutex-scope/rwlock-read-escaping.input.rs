use std::sync::{Arc, RwLock};

async fn connect(url: &str) {
    println!("connecting to {url}");
}

#[tokio::main]
async fn main() {
    let settings = Arc::new(RwLock::new(String::from("db://local")));
    let s = settings.clone();
    tokio::spawn(async move {
        let cfg = s.read().unwrap();
        let url = cfg.clone();
        connect(&url).await;
    })
    .await
    .unwrap();
}
