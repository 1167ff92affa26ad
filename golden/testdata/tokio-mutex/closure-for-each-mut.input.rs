// golden: run
use std::sync::{Arc, Mutex};

async fn notify(n: usize) {
    println!("{n}");
}

async fn ingest(seen: Arc<Mutex<Vec<u32>>>, batch: Vec<u32>) {
    batch.iter().for_each(|x| seen.lock().unwrap().push(*x));
    let fresh: Vec<u32> = batch.iter().filter(|x| !seen.lock().unwrap().contains(&(**x * 10))).copied().collect();
    let mut s = seen.lock().unwrap();
    s.retain(|x| *x != 0);
    notify(fresh.len()).await;
    s.push(99);
}

#[tokio::main]
async fn main() {
    let seen = Arc::new(Mutex::new(vec![0]));
    tokio::spawn(ingest(seen.clone(), vec![1, 2])).await.unwrap();
    assert_eq!(*seen.lock().unwrap(), vec![1, 2, 99]);
}
