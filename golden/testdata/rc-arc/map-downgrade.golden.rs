use std::sync::{Arc, Weak};

async fn ping(name: &str) {
    println!("ping {name}");
}

#[tokio::main]
async fn main() {
    let peers: Vec<Arc<String>> = vec![Arc::new("a".into()), Arc::new("b".into())];
    let watch: Vec<Weak<String>> = peers.iter().map(Arc::downgrade).collect();
    tokio::spawn(async move {
        for w in &watch {
            if let Some(p) = w.upgrade() {
                ping(&p).await;
            }
        }
    })
    .await
    .unwrap();
    drop(peers);
}
