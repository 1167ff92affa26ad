// golden: run
use std::sync::Arc;
use tokio::sync::Mutex;

struct Server {
    sessions: Mutex<Vec<u32>>,
    requests: Mutex<u64>,
}

async fn ping(id: u32) -> bool {
    id % 2 == 0
}

async fn sweep(server: Arc<Server>) {
    *server.requests.lock().await += 1;
    let mut sessions = server.sessions.lock().await;
    let mut alive = Vec::new();
    for id in sessions.iter() {
        if ping(*id).await {
            alive.push(*id);
        }
    }
    *sessions = alive;
}

#[tokio::main]
async fn main() {
    let server = Arc::new(Server { sessions: Mutex::new(vec![1, 2, 3, 4]), requests: Mutex::new(0) });
    tokio::spawn(sweep(server.clone())).await.unwrap();
    assert_eq!(*server.sessions.lock().await, vec![2, 4]);
    assert_eq!(*server.requests.lock().await, 1);
}
