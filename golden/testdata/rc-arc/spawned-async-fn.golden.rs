use std::sync::Arc;

async fn fetch(url: &str) -> usize {
    url.len()
}

async fn worker(base: Arc<String>, id: u32) {
    let n = fetch(&format!("{base}/{id}")).await;
    println!("{id}: {n}");
}

#[tokio::main]
async fn main() {
    let base = Arc::new(String::from("https://example.org"));
    let mut tasks = Vec::new();
    for id in 0..2 {
        tasks.push(tokio::spawn(worker(base.clone(), id)));
    }
    for t in tasks {
        t.await.unwrap();
    }
}
