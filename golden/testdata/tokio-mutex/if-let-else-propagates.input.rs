// golden: run
// The else of `if let Ok(g) = m.lock()` only returns an error value, and
// `.map_err(..)?` only converts it: tokio's lock cannot be poisoned, so
// both paths go with the swap.
use std::sync::{Arc, Mutex};

#[derive(Debug)]
enum StoreError {
    Poisoned(String),
}

async fn flush() {
    tokio::task::yield_now().await;
}

async fn record(log: Arc<Mutex<Vec<String>>>, line: &str) -> Result<usize, StoreError> {
    if let Ok(mut g) = log.lock() {
        g.push(line.to_string());
        flush().await;
        g.push(format!("{line} flushed"));
    } else {
        return Err(StoreError::Poisoned(format!("log lock poisoned")));
    }
    let n = log.lock().map_err(|e| StoreError::Poisoned(e.to_string()))?.len();
    Ok(n)
}

#[tokio::main]
async fn main() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let n = tokio::spawn(async move { record(log, "start").await.unwrap() }).await.unwrap();
    assert_eq!(n, 2);
}
