use std::sync::Arc;

struct Job<T> {
    id: T,
    data: Arc<String>,
}

async fn run(job: Job<u32>) {
    println!("{} {}", job.id, job.data);
}

#[tokio::main]
async fn main() {
    let job = Job { id: 7, data: Arc::new(String::from("payload")) };
    tokio::spawn(run(job)).await.unwrap();
}
