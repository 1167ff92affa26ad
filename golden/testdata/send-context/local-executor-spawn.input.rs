// A `.spawn(..)` on a receiver that is not one of tokio's spawners: an
// executor of the file that runs its futures on this thread.
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::task::LocalSet;

async fn tick() {}

struct Executor {
    local: LocalSet,
}

impl Executor {
    fn spawn<F: Future<Output = ()> + 'static>(&self, f: F) {
        self.local.spawn_local(f);
    }
}

#[tokio::main]
async fn main() {
    let exec = Executor { local: LocalSet::new() };
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    exec.spawn(async move {
        let mut n = h.lock().unwrap();
        *n += 1;
        tick().await;
    });
    exec.local.await;
}
