// A JoinSet held in a field of a struct of the file.
use std::sync::{Arc, Mutex};
use tokio::task::JoinSet;

async fn tick() {}

struct Workers {
    set: JoinSet<u32>,
    hits: Arc<Mutex<u32>>,
}

impl Workers {
    fn add(&mut self, i: u32) {
        let h = self.hits.clone();
        self.set.spawn(async move {
            let mut n = h.lock().unwrap();
            *n += i;
            tick().await;
            i
        });
    }
}

#[tokio::main]
async fn main() {
    let mut w = Workers { set: JoinSet::new(), hits: Arc::new(Mutex::new(0)) };
    w.add(1);
    while w.set.join_next().await.is_some() {}
}
