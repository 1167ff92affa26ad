// golden: run
// An Rc<RefCell<_>> made inside the spawned future, borrowed on both sides
// of an await: it becomes Arc<Mutex<_>>, and no guard meets the await.
use std::cell::RefCell;
use std::rc::Rc;

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    tokio::spawn(async move {
        let log = Rc::new(RefCell::new(Vec::new()));
        log.borrow_mut().push("start");
        tick().await;
        log.borrow_mut().push("end");
        assert_eq!(log.borrow().len(), 2);
    })
    .await
    .unwrap();
}
