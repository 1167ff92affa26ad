// A method of the file whose parameter carries the bound, called on a
// value of its type.
use std::future::Future;
use std::sync::{Arc, Mutex};

async fn tick() {}

struct Pool {
    tasks: Mutex<Vec<tokio::task::JoinHandle<()>>>,
}

impl Pool {
    fn submit<F>(&self, f: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        self.tasks.lock().unwrap().push(tokio::spawn(f));
    }
}

#[tokio::main]
async fn main() {
    let pool = Pool { tasks: Mutex::new(Vec::new()) };
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    pool.submit(async move {
        let mut n = h.lock().unwrap();
        *n += 1;
        tick().await;
    });
    let tasks = std::mem::take(&mut *pool.tasks.lock().unwrap());
    for t in tasks {
        t.await.unwrap();
    }
}
