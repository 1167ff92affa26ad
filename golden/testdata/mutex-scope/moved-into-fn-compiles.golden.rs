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
        let guard = d.lock().unwrap();
        let report = render(guard);
        publish(report).await;
    })
    .await
    .unwrap();
}
