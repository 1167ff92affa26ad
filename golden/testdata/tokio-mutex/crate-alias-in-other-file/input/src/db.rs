use std::sync::{Arc, Mutex};

/// The store every task shares.
pub type Db = Arc<Mutex<Vec<String>>>;

pub fn new_db() -> Db {
    Arc::new(Mutex::new(Vec::new()))
}
