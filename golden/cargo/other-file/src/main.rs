//! A guard used after the await, on a Mutex whose type another file of the
//! package decides: only a swap of the whole package compiles.
mod state;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use state::State;

async fn tick() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

#[tokio::main]
async fn main() {
    let st = Arc::new(State { jobs: Mutex::new(Vec::new()) });
    let s = st.clone();
    tokio::spawn(async move {
        let mut jobs = s.jobs.lock().unwrap();
        jobs.push(1);
        tick().await;
        jobs.push(2);
    })
    .await
    .unwrap();
}
