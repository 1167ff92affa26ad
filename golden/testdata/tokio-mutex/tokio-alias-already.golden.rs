use std::sync::Arc;
use tokio::sync::{Mutex, Mutex as AsyncMutex};

async fn write_out(line: String) {
    println!("{line}");
}

async fn report(names: Arc<Mutex<Vec<String>>>, out: Arc<AsyncMutex<u32>>) {
    let mut lines = out.lock().await;
    let list = names.lock().await;
    for name in list.iter() {
        write_out(name.clone()).await;
        *lines += 1;
    }
    println!("{} of {}", *lines, list.len());
}

#[tokio::main]
async fn main() {
    let names = Arc::new(Mutex::new(vec!["ann".to_string()]));
    let out = Arc::new(AsyncMutex::new(0));
    tokio::spawn(report(names, out)).await.unwrap();
}
