use std::sync::{Arc, Mutex};

struct Stats {
    count: u64,
    last: String,
}

async fn report(count: u64, last: &str) {
    println!("{count} {last}");
}

#[tokio::main]
async fn main() {
    let stats = Arc::new(Mutex::new(Stats { count: 3, last: "x".into() }));
    let s = stats.clone();
    tokio::spawn(async move {
        let st = s.lock().unwrap();
        let count = st.count;
        let mut last = st.last.clone();
        last.push('!');
        report(count, &last).await;
    })
    .await
    .unwrap();
}
