// golden: expect=send-error
use std::sync::{Arc, Mutex};

macro_rules! record {
    ($log:expr, $msg:expr) => {
        $log.lock().unwrap().push($msg.to_string())
    };
}

async fn work() {}

#[tokio::main]
async fn main() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let l = log.clone();
    tokio::spawn(async move {
        let mut g = l.lock().unwrap();
        work().await;
        g.push("held".to_string());
    })
    .await
    .unwrap();
    record!(log, "done");
}
