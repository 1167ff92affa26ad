// The bound through a trait of the file that has Send as a supertrait
// (the stable form of a trait alias), and through a second trait.
use std::future::Future;
use std::sync::{Arc, Mutex};

async fn tick() {}

trait SendFuture: Future<Output = ()> + Send + 'static {}
impl<T: Future<Output = ()> + Send + 'static> SendFuture for T {}

trait Job: SendFuture {}
impl<T: SendFuture> Job for T {}

fn run<J: Job>(job: J) -> tokio::task::JoinHandle<()> {
    tokio::spawn(job)
}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    run(async move {
        let mut n = h.lock().unwrap();
        *n += 1;
        tick().await;
    })
    .await
    .unwrap();
}
