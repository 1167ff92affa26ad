// golden: run
use std::sync::{Arc, Mutex};

struct Stats {
    count: u64,
    label: String,
    samples: Vec<u32>,
}

async fn report(count: u64, label: &str, first: u32) {
    println!("{label}: {count} ({first})");
}

#[tokio::main]
async fn main() {
    let stats = Arc::new(Mutex::new(Stats { count: 2, label: "req".into(), samples: vec![9, 4] }));
    let s = stats.clone();
    tokio::spawn(async move {
        let (count, label, first) = {
            let st = s.lock().unwrap();
            let count = st.count;
            let label = st.label.clone();
            let first = st.samples.first().copied().unwrap_or_default();
            (count, label, first)
        };
        report(count, &label, first).await;
        assert_eq!((count, label.as_str(), first), (2, "req", 9));
    })
    .await
    .unwrap();
}
