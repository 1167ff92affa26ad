// golden: run
// Guards taken with `.map_err(..)?` as temporaries: a `while let` and an
// `if let` scrutinee whose values are owned, and an argument of an awaited
// call. Each is bound with `let` in a block of its own.
use std::sync::{Arc, Mutex};

async fn tick() {
    tokio::task::yield_now().await;
}

async fn report(n: usize) -> usize {
    n
}

async fn drain(data: Arc<Mutex<Vec<u32>>>) -> Result<u32, String> {
    let mut sum = 0;
    while let Some(x) = {
        let mut guard = data.lock().map_err(|e| e.to_string())?;
        guard.pop()
    } {
        sum += x;
        tick().await;
    }
    if let Some(x) = {
        let guard2 = data.lock().map_err(|e| e.to_string())?;
        guard2.first().copied()
    } {
        tick().await;
        sum += x;
    }
    let n = report({
        let guard3 = data.lock().map_err(|e| e.to_string())?;
        guard3.len()
    }).await;
    Ok(sum + n as u32)
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    let got = tokio::spawn(drain(data)).await.unwrap();
    assert_eq!(got, Ok(6));
}
