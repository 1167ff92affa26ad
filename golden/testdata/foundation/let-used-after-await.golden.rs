use std::sync::{Arc, Mutex};

async fn send_total(total: usize) {
    println!("total {total}");
}

#[tokio::main]
async fn main() {
    let items = Arc::new(Mutex::new(vec![1usize, 2, 3]));
    let handle = tokio::spawn(async move {
        let total: usize = {
            let guard = items.lock().unwrap();
            guard.iter().sum()
        };
        send_total(total).await;
        println!("sent {total}");
    });
    handle.await.unwrap();
}
