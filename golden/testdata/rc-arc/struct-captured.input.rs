use std::rc::Rc;

struct Peer {
    addr: Rc<String>,
    port: u16,
}

async fn connect(port: u16) -> bool {
    port > 0
}

#[tokio::main]
async fn main() {
    let peer = Peer { addr: Rc::new("10.0.0.1".to_string()), port: 80 };
    tokio::spawn(async move {
        let peer = peer;
        if connect(peer.port).await {
            println!("connected to {}", peer.addr);
        }
    })
    .await
    .unwrap();
}
