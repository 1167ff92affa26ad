// golden: args=--rules mutex-scope
// golden: expect=send-error
use std::sync::{Arc, Mutex};

struct Stats {
    last: String,
}

async fn report() {}

#[tokio::main]
async fn main() {
    let stats = Arc::new(Mutex::new(Stats { last: "x".into() }));
    let s = stats.clone();
    tokio::spawn(async move {
        let st = s.lock().unwrap();
        let last = &st.last;
        report().await;
        println!("{last}");
    })
    .await
    .unwrap();
}
