// The negative twin of bound-method: two types of the file have a
// method `submit`; the one called here asks no Send.
use std::future::Future;
use std::sync::{Arc, Mutex};

async fn tick() {}

struct Pool;

impl Pool {
    fn submit<F: Future<Output = ()> + Send + 'static>(&self, f: F) {
        tokio::spawn(f);
    }
}

struct Inline;

impl Inline {
    async fn submit<F: Future<Output = ()>>(&self, f: F) {
        f.await
    }
}

#[tokio::main]
async fn main() {
    let _pool = Pool;
    let inline = Inline;
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    inline
        .submit(async move {
            let mut n = h.lock().unwrap();
            *n += 1;
            tick().await;
        })
        .await;
}
