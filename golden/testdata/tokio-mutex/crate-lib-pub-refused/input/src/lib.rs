// golden: expect=send-error
use std::sync::{Arc, Mutex};

pub type Shared = Arc<Mutex<Vec<u8>>>;

async fn tick() {}

pub fn start(s: Shared) {
    tokio::spawn(async move {
        let mut g = s.lock().unwrap();
        g.push(1);
        tick().await;
        g.push(2);
    });
}
