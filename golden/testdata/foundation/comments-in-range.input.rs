use std::sync::{Arc, Mutex};

async fn persist(v: i64) {
    println!("persisted {v}");
}

#[tokio::main]
async fn main() {
    let balance = Arc::new(Mutex::new(100i64));
    let b = balance.clone();
    tokio::spawn(async move {
        // Take the lock only for the arithmetic.
        let mut bal = b.lock().unwrap();
        /* a withdrawal never goes below zero */
        if *bal >= 30 {
            *bal -= 30;
        }

        // Remember the new value for the log line.
        let _seen = *bal; // last use of the guard
        // Storage is slow: do it without the lock.
        persist(70).await;
    })
    .await
    .unwrap();
}
