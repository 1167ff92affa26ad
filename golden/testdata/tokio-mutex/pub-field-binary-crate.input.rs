// golden: run
use std::sync::{Arc, Mutex};

pub struct Inbox {
    pub messages: Mutex<Vec<String>>,
}

async fn deliver(m: &str) {
    println!("{m}");
}

async fn flush(inbox: Arc<Inbox>) {
    let mut messages = inbox.messages.lock().unwrap();
    for m in messages.iter() {
        deliver(m).await;
    }
    messages.clear();
}

#[tokio::main]
async fn main() {
    let inbox = Arc::new(Inbox { messages: Mutex::new(vec!["hi".to_string()]) });
    tokio::spawn(flush(inbox)).await.unwrap();
}
