// `TaskTracker::spawn` of tokio-util. tokio-util is not among the crates
// the tests build with: the module below stands in for it with the same
// signatures, inside a macro so that sendfix sees only the use.
macro_rules! tokio_util_stand_in {
    () => {
        mod tokio_util {
            pub mod task {
                pub struct TaskTracker;
                impl TaskTracker {
                    pub fn new() -> Self {
                        TaskTracker
                    }
                    pub fn spawn<F>(&self, task: F) -> tokio::task::JoinHandle<F::Output>
                    where
                        F: std::future::Future + Send + 'static,
                        F::Output: Send + 'static,
                    {
                        tokio::spawn(task)
                    }
                    pub fn spawn_local<F>(&self, task: F) -> tokio::task::JoinHandle<F::Output>
                    where
                        F: std::future::Future + 'static,
                        F::Output: 'static,
                    {
                        tokio::task::spawn_local(task)
                    }
                }
            }
        }
    };
}
tokio_util_stand_in!();

use std::sync::{Arc, Mutex};
use tokio_util::task::TaskTracker;

async fn tick() {}

#[tokio::main]
async fn main() {
    let tracker = TaskTracker::new();
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    tracker
        .spawn(async move {
            {
                let mut n = h.lock().unwrap();
                *n += 1;
            }
            tick().await;
        })
        .await
        .unwrap();
}
