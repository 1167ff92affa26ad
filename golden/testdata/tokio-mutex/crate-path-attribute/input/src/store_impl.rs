use std::sync::{Arc, Mutex};

pub type Store = Arc<Mutex<Vec<u8>>>;

pub fn make() -> Store {
    Arc::new(Mutex::new(Vec::new()))
}
