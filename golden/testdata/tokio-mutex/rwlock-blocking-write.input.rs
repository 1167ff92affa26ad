// golden: run
use std::sync::{Arc, RwLock};

async fn publish(v: u32) {
    println!("{v}");
}

async fn serve(cfg: Arc<RwLock<Vec<u32>>>) {
    let c = cfg.read().unwrap();
    publish(c[0]).await;
    println!("{}", c.len());
}

#[tokio::main]
async fn main() {
    let cfg = Arc::new(RwLock::new(vec![1]));
    let c2 = cfg.clone();
    // Loading runs off the runtime: tokio's lock may block there.
    tokio::task::spawn_blocking(move || {
        c2.write().unwrap().push(2);
        println!("loaded {}", c2.read().unwrap().len());
    })
    .await
    .unwrap();
    tokio::spawn(serve(cfg)).await.unwrap();
}
