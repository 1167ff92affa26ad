// `Box::pin(async ..)` returned as `Pin<Box<dyn Future + Send>>`, from
// either branch of an `if`.
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

async fn tick() {}

fn count(hits: Arc<Mutex<u32>>, twice: bool) -> Pin<Box<dyn Future<Output = ()> + Send + 'static>> {
    if twice {
        Box::pin(async move {
            let mut n = hits.lock().unwrap();
            *n += 2;
            tick().await;
        })
    } else {
        Box::pin(async move {
            tick().await;
        })
    }
}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    tokio::spawn(count(hits.clone(), true)).await.unwrap();
}
