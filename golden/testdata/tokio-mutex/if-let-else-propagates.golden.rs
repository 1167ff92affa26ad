// golden: run
// The else of `if let Ok(g) = m.lock()` only returns an error value, and
// `.map_err(..)?` only converts it: tokio's lock cannot be poisoned, so
// both paths go with the swap.
use std::sync::Arc;
use tokio::sync::Mutex;

#[derive(Debug)]
enum StoreError {
    Poisoned(String),
}

async fn flush() {
    tokio::task::yield_now().await;
}

async fn record(log: Arc<Mutex<Vec<String>>>, line: &str) -> Result<usize, StoreError> {
    {
        let mut g = log.lock().await;
        g.push(line.to_string());
        flush().await;
        g.push(format!("{line} flushed"));
    }
    let n = log.lock().await.len();
    Ok(n)
}

#[tokio::main]
async fn main() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let n = tokio::spawn(async move { record(log, "start").await.unwrap() }).await.unwrap();
    assert_eq!(n, 2);
}
