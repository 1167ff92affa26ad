use std::sync::{Arc, Mutex};

pub struct Client {
    pub sent: Vec<String>,
}

impl Client {
    pub async fn fetch(&mut self, req: &str) -> usize {
        tokio::task::yield_now().await;
        self.sent.push(req.to_string());
        self.sent.len()
    }
}

/// The one connection every task shares.
pub type Shared = Arc<Mutex<Client>>;

pub fn connect() -> Shared {
    Arc::new(Mutex::new(Client { sent: Vec::new() }))
}
