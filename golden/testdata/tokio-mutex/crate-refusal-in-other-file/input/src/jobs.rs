use std::sync::{Arc, Mutex};

pub type Queue = Arc<Mutex<Vec<u32>>>;

pub fn queue() -> Queue {
    Arc::new(Mutex::new(vec![1, 2]))
}

/// Whether a worker holds the queue: tokio's try_lock fails differently.
pub fn busy(q: &Queue) -> bool {
    q.try_lock().is_err()
}
