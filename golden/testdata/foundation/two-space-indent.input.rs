use std::sync::{Arc, Mutex};

async fn notify(id: u32) {
  println!("notify {id}");
}

#[tokio::main]
async fn main() {
  let queue = Arc::new(Mutex::new(Vec::new()));
  let q = queue.clone();
  let job = tokio::spawn(async move {
    let mut pending = q.lock().unwrap();
    pending.push(7u32);
    pending.sort();
    notify(7).await;
  });
  job.await.unwrap();
}
