// golden: expect=send-error
// `.map_err(|e| report(..))?` calls a fn that logs: more than converting
// the error, so the swap (which deletes the error path) is refused.
use std::sync::{Arc, Mutex};

fn report(s: String) -> String {
    eprintln!("{s}");
    s
}

async fn pulse() {
    tokio::task::yield_now().await;
}

async fn push(q: Arc<Mutex<Vec<u32>>>) -> Result<(), String> {
    let mut g = q.lock().map_err(|e| report(e.to_string()))?;
    g.push(1);
    pulse().await;
    g.push(2);
    Ok(())
}

#[tokio::main]
async fn main() {
    let q = Arc::new(Mutex::new(Vec::new()));
    tokio::spawn(push(q.clone())).await.unwrap().unwrap();
}
