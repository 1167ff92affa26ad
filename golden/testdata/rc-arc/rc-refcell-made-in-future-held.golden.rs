// golden: run
// An Rc<RefCell<_>> made inside the spawned future, borrowed on both sides
// of an await: it becomes Arc<Mutex<_>>, and no guard meets the await.
use std::sync::{Arc, Mutex};

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    tokio::spawn(async move {
        let log = Arc::new(Mutex::new(Vec::new()));
        log.lock().unwrap().push("start");
        tick().await;
        log.lock().unwrap().push("end");
        assert_eq!(log.lock().unwrap().len(), 2);
    })
    .await
    .unwrap();
}
