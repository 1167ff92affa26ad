// golden: run
use std::sync::{Arc, Mutex};

struct Stats {
    hits: u64,
    last: String,
}

async fn report(hits: u64) {
    println!("{hits} hits");
}

#[tokio::main]
async fn main() {
    let stats = Arc::new(Mutex::new(Stats { hits: 4, last: "x".into() }));
    let s = stats.clone();
    tokio::spawn(async move {
        let st = s.lock().unwrap();
        let hits = st.hits;
        println!("last {}", st.last);
        report(hits).await;
        assert_eq!(hits, 4);
    })
    .await
    .unwrap();
}
