// golden: run
mod db;

use db::{new_db, Db};

async fn save(n: usize) {
    println!("saved {n}");
}

async fn record(db: Db, item: String) {
    let mut items = db.lock().await;
    items.push(item);
    save(items.len()).await;
    items.push("done".to_string());
}

#[tokio::main]
async fn main() {
    let db = new_db();
    tokio::spawn(record(db.clone(), "a".to_string())).await.unwrap();
    let n = db.lock().await.len();
    assert_eq!(n, 2);
}
