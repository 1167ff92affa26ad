use std::sync::{Arc, Mutex};

struct Db {
    m: Mutex<u64>,
}

async fn fetch() -> u64 {
    7
}

#[tokio::main]
async fn main() {
    let db = Arc::new(Db { m: Mutex::new(0) });
    let d = db.clone();
    tokio::spawn(async move {
        let mut g = d.m.lock().unwrap();
        let v = fetch().await;
        *g += v;
    })
    .await
    .unwrap();
    println!("{}", *db.m.lock().unwrap());
}
