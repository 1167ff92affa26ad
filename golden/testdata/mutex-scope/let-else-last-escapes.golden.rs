// golden: run
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

async fn run(job: &str) {
    println!("running {job}");
}

async fn next(queue: Arc<Mutex<VecDeque<String>>>) -> usize {
    let job = {
        let mut q = queue.lock().unwrap();
        let Some(job) = q.pop_front() else {
            return 0;
        };
        job
    };
    run(&job).await;
    job.len()
}

#[tokio::main]
async fn main() {
    let queue = Arc::new(Mutex::new(VecDeque::from(["build".to_string()])));
    let got = tokio::spawn(next(queue)).await.unwrap();
    assert_eq!(got, 5);
}
