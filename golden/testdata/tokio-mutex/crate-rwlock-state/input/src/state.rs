use std::sync::{Mutex, RwLock};

pub struct Config {
    pub url: String,
    pub retries: usize,
}

pub struct AppState {
    pub config: RwLock<Config>,
    pub hits: Mutex<u64>,
}

impl AppState {
    pub fn new(config: Config) -> Self {
        AppState { config: RwLock::new(config), hits: Mutex::new(0) }
    }
}
