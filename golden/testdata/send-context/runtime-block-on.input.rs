// The negative twin of runtime-static: `block_on` runs the future on this
// thread and asks no Send.
// golden: run
use std::sync::{Arc, LazyLock, Mutex};
use tokio::runtime::Runtime;

static RT: LazyLock<Runtime> = LazyLock::new(|| Runtime::new().unwrap());

async fn tick() {}

fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    RT.block_on(async move {
        let mut n = h.lock().unwrap();
        *n += 1;
        tick().await;
    });
    assert_eq!(*hits.lock().unwrap(), 1);
}
