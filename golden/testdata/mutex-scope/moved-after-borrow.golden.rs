// golden: run
use std::sync::{Arc, Mutex, MutexGuard};

fn render(rows: MutexGuard<'_, Vec<u32>>) -> String {
    format!("{} rows", rows.len())
}

async fn publish(report: String) {
    println!("{report}");
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    let d = data.clone();
    tokio::spawn(async move {
        let (first, report) = {
            let guard = d.lock().unwrap();
            let first = guard[0];
            let report = render(guard);
            (first, report)
        };
        publish(report).await;
        assert_eq!(first, 1);
    })
    .await
    .unwrap();
}
