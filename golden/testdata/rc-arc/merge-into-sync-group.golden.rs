use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

static HITS: AtomicUsize = AtomicUsize::new(0);
static NAME: OnceLock<Mutex<String>> = OnceLock::new();

async fn hit() {
    HITS.fetch_add(1, Ordering::SeqCst);
}

#[tokio::main]
async fn main() {
    NAME.get_or_init(|| Mutex::new(String::from("svc")));
    let tags = Arc::new(vec!["x", "y"]);
    tokio::spawn(async move {
        hit().await;
        println!("{:?}", tags);
    })
    .await
    .unwrap();
}
