// golden: run
use std::sync::{Arc, Mutex};

#[derive(Debug)]
struct Error(String);

impl<T> From<std::sync::PoisonError<T>> for Error {
    fn from(e: std::sync::PoisonError<T>) -> Self {
        Error(e.to_string())
    }
}

async fn store(n: usize) {
    println!("stored {n}");
}

async fn append(log: Arc<Mutex<Vec<String>>>, line: &str) -> Result<usize, Error> {
    let mut entries = log.lock().expect("log");
    entries.push(line.to_string());
    store(entries.len()).await;
    Ok(entries.len())
}

async fn clear(log: &Mutex<Vec<String>>) -> Result<(), Error> {
    let mut entries = log
        .lock()
        .map_err(Error::from)?;
    entries.clear();
    Ok(())
}

async fn count(log: &Mutex<Vec<String>>) -> Result<usize, Error> {
    Ok(log.lock()?.len())
}

async fn first(log: &Mutex<Vec<String>>) -> Option<String> {
    let entries = log.lock().ok()?;
    entries.first().cloned()
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let log = Arc::new(Mutex::new(Vec::new()));
    let n = tokio::spawn(append(log.clone(), "a")).await.unwrap()?;
    assert_eq!(n, count(&log).await?);
    assert_eq!(first(&log).await.as_deref(), Some("a"));
    clear(&log).await?;
    Ok(())
}
