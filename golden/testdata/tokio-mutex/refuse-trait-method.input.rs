// golden: expect=send-error
use std::sync::{Arc, Mutex};

struct Jobs(Arc<Mutex<Vec<u32>>>);

impl Iterator for Jobs {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        self.0.lock().unwrap().pop()
    }
}

async fn work(j: u32) -> u32 {
    j * 2
}

#[tokio::main]
async fn main() {
    let queue = Arc::new(Mutex::new(vec![1, 2, 3]));
    let q = queue.clone();
    std::thread::spawn(move || Jobs(q).next()).join().unwrap();
    tokio::spawn(async move {
        let mut done = 0;
        for j in Jobs(queue.clone()) {
            done += work(j).await;
        }
        let mut g = queue.lock().unwrap();
        g.push(work(done).await);
    })
    .await
    .unwrap();
}
