// golden: run
use tokio::sync::Mutex;

struct Registry {
    names: Mutex<Vec<String>>,
}

impl Registry {
    const fn new() -> Self {
        Registry { names: Mutex::const_new(Vec::new()) }
    }
}

static REGISTRY: Registry = Registry::new();

async fn fetch() -> String {
    tokio::task::yield_now().await;
    "ann".to_string()
}

#[tokio::main]
async fn main() {
    tokio::spawn(async {
        let mut names = REGISTRY.names.lock().await;
        let name = fetch().await;
        names.push(name);
    })
    .await
    .unwrap();
    assert_eq!(REGISTRY.names.lock().await.len(), 1);
}
