// golden: run
use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};
use tokio::sync::Mutex;

static SESSIONS: LazyLock<Mutex<HashMap<u32, String>>> = LazyLock::new(|| Mutex::new(HashMap::new()));
static CONFIG: OnceLock<Mutex<String>> = OnceLock::new();

async fn lookup(id: u32) -> String {
    tokio::task::yield_now().await;
    format!("user{id}")
}

#[tokio::main]
async fn main() {
    CONFIG.get_or_init(|| Mutex::new("prod".to_string()));
    tokio::spawn(async {
        let mut s = SESSIONS.lock().await;
        let name = lookup(1).await;
        s.insert(1, name);
    })
    .await
    .unwrap();
    assert_eq!(SESSIONS.lock().await.get(&1).cloned(), Some("user1".to_string()));
}
