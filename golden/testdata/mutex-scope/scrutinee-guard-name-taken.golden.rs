use std::sync::{Arc, Mutex};

async fn handle(job: String) {
    println!("{job}");
}

#[tokio::main]
async fn main() {
    let jobs = Arc::new(Mutex::new(vec!["a".to_string()]));
    let j = jobs.clone();
    tokio::spawn(async move {
        let guard = "unrelated";
        println!("{guard}");
        while let Some(job) = {
            let mut guard2 = j.lock().unwrap();
            guard2.pop()
        } {
            handle(job).await;
        }
    })
    .await
    .unwrap();
}
