use std::rc::{Rc, Weak};

async fn ping(name: &str) {
    println!("ping {name}");
}

#[tokio::main]
async fn main() {
    let peers: Vec<Rc<String>> = vec![Rc::new("a".into()), Rc::new("b".into())];
    let watch: Vec<Weak<String>> = peers.iter().map(Rc::downgrade).collect();
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
