use std::collections::HashMap;
use std::sync::{Arc, Mutex};

type Sessions = Arc<Mutex<HashMap<u32, String>>>;

async fn send_welcome(id: u32) {
    println!("welcome {id}");
}

async fn handler(sessions: Sessions, id: u32) {
    let mut map = sessions.lock().unwrap();
    map.insert(id, format!("user-{id}"));
    send_welcome(id).await;
}

#[tokio::main]
async fn main() {
    let sessions: Sessions = Arc::default();
    for id in 0..2 {
        let x = sessions.clone();
        tokio::spawn(handler(x, id));
    }
}
