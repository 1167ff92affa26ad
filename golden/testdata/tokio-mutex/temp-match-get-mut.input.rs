// golden: run
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

struct Conn {
    pings: u32,
}

async fn ping(c: &mut Conn) {
    c.pings += 1;
}

async fn check(pool: Arc<Mutex<HashMap<u32, Conn>>>, key: u32) -> bool {
    match pool.lock().unwrap().get_mut(&key) {
        Some(conn) => {
            ping(conn).await;
            true
        }
        None => false,
    }
}

#[tokio::main]
async fn main() {
    let pool = Arc::new(Mutex::new(HashMap::from([(1, Conn { pings: 0 })])));
    let found = tokio::spawn(check(pool.clone(), 1)).await.unwrap();
    let missing = tokio::spawn(check(pool.clone(), 2)).await.unwrap();
    assert!(found && !missing);
    assert_eq!(pool.lock().unwrap()[&1].pings, 1);
}
