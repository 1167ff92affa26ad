// golden: run
mod state;

use std::sync::Arc;

use state::{AppState, Config};

async fn fetch(url: &str) -> usize {
    url.len()
}

async fn handle(state: Arc<AppState>) -> usize {
    let config = state.config.read().unwrap();
    let n = fetch(&config.url).await;
    n + config.retries
}

async fn reload(state: Arc<AppState>) {
    let mut config = state.config.write().expect("config lock");
    config.retries += 1;
}

#[tokio::main]
async fn main() {
    let state = Arc::new(AppState::new(Config { url: "http://x".into(), retries: 1 }));
    reload(state.clone()).await;
    let n = tokio::spawn(handle(state.clone())).await.unwrap();
    assert_eq!(n, 10);
    *state.hits.lock().unwrap() += 1;
}
