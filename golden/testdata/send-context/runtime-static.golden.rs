// A runtime in a static.
// golden: run
use std::sync::{Arc, LazyLock, Mutex};
use tokio::runtime::Runtime;

static RT: LazyLock<Runtime> = LazyLock::new(|| Runtime::new().unwrap());

async fn tick() {}

fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    let task = RT.spawn(async move {
        {
            let mut n = h.lock().unwrap();
            *n += 1;
        }
        tick().await;
    });
    RT.block_on(task).unwrap();
    assert_eq!(*hits.lock().unwrap(), 1);
}
