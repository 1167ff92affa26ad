// golden: expect=send-error
mod worker {
    #![allow(clippy::await_holding_lock)]
    use std::sync::{Arc, Mutex};

    async fn tick() {}

    pub fn start(state: Arc<Mutex<Vec<u8>>>) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut s = state.lock().unwrap();
            s.push(1);
            tick().await;
        })
    }
}

#[tokio::main]
async fn main() {
    let state = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    worker::start(state).await.unwrap();
}
