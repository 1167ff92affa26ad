// golden: expect=send-error
mod jobs;

use jobs::Queue;

async fn run(job: u32) {
    println!("job {job}");
}

async fn worker(q: Queue) {
    let mut jobs = q.lock().unwrap();
    while let Some(j) = jobs.pop() {
        run(j).await;
    }
}

#[tokio::main]
async fn main() {
    let q = jobs::queue();
    tokio::spawn(worker(q.clone())).await.unwrap();
    println!("{}", jobs::busy(&q));
}
