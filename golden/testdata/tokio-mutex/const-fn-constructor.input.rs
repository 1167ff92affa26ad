// golden: run
use std::sync::Mutex;

struct Registry {
    names: Mutex<Vec<String>>,
}

impl Registry {
    const fn new() -> Self {
        Registry { names: Mutex::new(Vec::new()) }
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
        let mut names = REGISTRY.names.lock().unwrap();
        let name = fetch().await;
        names.push(name);
    })
    .await
    .unwrap();
    assert_eq!(REGISTRY.names.lock().unwrap().len(), 1);
}
