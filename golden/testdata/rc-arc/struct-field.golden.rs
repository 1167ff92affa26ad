use std::sync::Arc;

struct Job {
    id: u32,
    label: Arc<str>,
}

async fn run(id: u32) {
    println!("running {id}");
}

async fn process(job: Job) {
    run(job.id).await;
    println!("{} done", job.label);
}

#[tokio::main]
async fn main() {
    let label: Arc<str> = Arc::from("nightly");
    let job = Job { id: 7, label: label.clone() };
    tokio::spawn(process(job)).await.unwrap();
    println!("{label}");
}
