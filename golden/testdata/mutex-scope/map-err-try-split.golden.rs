// golden: run
use std::sync::{Arc, Mutex};

async fn flush() {}

async fn bump(counter: Arc<Mutex<u64>>) -> Result<u64, String> {
    let now = {
        let mut n = counter
            .lock()
            .map_err(|e| e.to_string())?;
        *n += 1;
        *n
    };
    flush().await;
    Ok(now)
}

#[tokio::main]
async fn main() {
    let counter = Arc::new(Mutex::new(0));
    let got = tokio::spawn(bump(counter)).await.unwrap();
    assert_eq!(got, Ok(1));
}
