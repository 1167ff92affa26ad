// golden: run
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

struct Peer {
    name: String,
    tx: mpsc::Sender<String>,
}

async fn relay(peers: Arc<Mutex<HashMap<u32, Peer>>>, id: u32, frame: String) {
    let peers = peers.lock().unwrap();
    let Some(peer) = peers.get(&id) else {
        return;
    };
    println!("relaying to {}", peer.name);
    let tx = peer.tx.clone();
    tx.send(frame).await.unwrap();
}

#[tokio::main]
async fn main() {
    let (tx, mut rx) = mpsc::channel(1);
    let peer = Peer { name: "a".into(), tx };
    let peers = Arc::new(Mutex::new(HashMap::from([(1, peer)])));
    tokio::spawn(relay(peers.clone(), 1, "hi".into())).await.unwrap();
    assert_eq!(rx.recv().await.as_deref(), Some("hi"));
}
