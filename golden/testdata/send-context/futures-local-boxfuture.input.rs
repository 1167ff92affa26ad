// The negative twin of futures-boxfuture: futures' LocalBoxFuture is not
// Send. (The module below stands in for the futures crate, inside a macro
// so that sendfix sees only the use.)
macro_rules! futures_stand_in {
    () => {
        mod futures {
            pub mod future {
                pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;
                pub type LocalBoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + 'a>>;
            }
        }
    };
}
futures_stand_in!();

use futures::future::LocalBoxFuture;
use std::sync::{Arc, Mutex};

async fn tick() {}

fn count(hits: Arc<Mutex<u32>>) -> LocalBoxFuture<'static, ()> {
    Box::pin(async move {
        let mut n = hits.lock().unwrap();
        *n += 1;
        tick().await;
    })
}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    count(hits.clone()).await;
}
