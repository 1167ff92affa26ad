use std::sync::{Arc, Mutex};

async fn log_line(_s: String) {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    tokio::spawn(async move {
        let seen = {
            let mut g = h.lock().unwrap();
            *g += 1;

            // read it back for the log
            *g
        };
        log_line(format!("hits: {seen}")).await;
    })
    .await
    .unwrap();
    assert_eq!(*hits.lock().unwrap(), 1);
}
