use std::sync::Arc;
use std::sync::Mutex;

async fn some_async_function() {}

async fn problematic_task(data: Arc<Mutex<i32>>) {
    tokio::spawn(async move {
        let mut guard = data.lock().unwrap();
        *guard += 1;

        // The guard must stay held across this await.
        some_async_function().await;

        println!("Value: {}", *guard);
    })
    .await
    .unwrap();
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(0));
    problematic_task(data.clone()).await;
    assert_eq!(*data.lock().unwrap(), 1);
}
