// golden: run
use std::sync::{Arc, Mutex};

struct Client {
    sent: Vec<String>,
}

impl Client {
    async fn fetch(&mut self, req: &str) -> usize {
        self.sent.push(req.to_string());
        req.len()
    }
}

struct Service {
    client: Mutex<Client>,
}

impl Service {
    async fn call(&self, req: &str) -> usize {
        self.client.lock().unwrap().fetch(req).await
    }
}

#[tokio::main]
async fn main() {
    let s = Arc::new(Service { client: Mutex::new(Client { sent: Vec::new() }) });
    let s2 = s.clone();
    let n = tokio::spawn(async move { s2.call("abc").await }).await.unwrap();
    assert_eq!(n, 3);
    assert_eq!(s.client.lock().unwrap().sent.len(), 1);
}
