// The negative twin of bound-supertrait: the trait of the file has no
// Send among its supertraits.
use std::future::Future;
use std::sync::{Arc, Mutex};

async fn tick() {}

trait LocalFuture: Future<Output = ()> + 'static {}
impl<T: Future<Output = ()> + 'static> LocalFuture for T {}

fn run<J: LocalFuture>(job: J) -> J {
    job
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
    .await;
}
