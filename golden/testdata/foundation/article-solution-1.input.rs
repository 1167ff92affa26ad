// golden: run
use std::sync::{Arc, Mutex};

async fn some_async_function() {}

async fn problematic_task(data: Arc<Mutex<i32>>) {
    tokio::spawn(async move {
        let mut guard = data.lock().unwrap();
        *guard += 1;
        
        // This await keeps the guard alive across threads!
        some_async_function().await; 
    });
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(0));
    problematic_task(data.clone()).await;
}
