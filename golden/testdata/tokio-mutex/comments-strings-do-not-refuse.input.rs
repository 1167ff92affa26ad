// golden: run
use std::sync::{Arc, Mutex};

// no Condvar here, and nothing calls .try_lock() or .into_inner().unwrap()
async fn say(s: &str) {
    println!("{s}");
}

async fn talk(words: Arc<Mutex<Vec<&'static str>>>) {
    let w = words.lock().unwrap();
    say("try_lock() and Condvar are only words here").await;
    println!("{}", w.len());
}

#[tokio::main]
async fn main() {
    let words = Arc::new(Mutex::new(vec!["parking_lot"]));
    tokio::spawn(talk(words)).await.unwrap();
}
