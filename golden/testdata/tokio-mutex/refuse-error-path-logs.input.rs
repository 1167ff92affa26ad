// golden: expect=send-error
use std::sync::{Arc, Mutex};

async fn persist(n: usize) {
    println!("{n}");
}

async fn save(jobs: Arc<Mutex<Vec<u32>>>) {
    let mut j = jobs.lock().expect("jobs");
    j.push(1);
    persist(j.len()).await;
    j.clear();
}

fn report(jobs: &Mutex<Vec<u32>>) {
    match jobs.lock() {
        Ok(j) => println!("{} jobs", j.len()),
        // With std the lock is poisoned when a holder panicked; tokio's
        // would never report it, and this line would silently go.
        Err(e) => eprintln!("a job panicked: {e}"),
    }
}

#[tokio::main]
async fn main() {
    let jobs = Arc::new(Mutex::new(Vec::new()));
    tokio::spawn(save(jobs.clone())).await.unwrap();
    std::thread::spawn(move || report(&jobs)).join().unwrap();
}
