// golden: run
use std::cell::RefCell;
use std::rc::Rc;

async fn tick() {}

#[tokio::main]
async fn main() {
    let log: Rc<RefCell<Vec<String>>> = Rc::new(RefCell::new(Vec::new()));
    let task_log = log.clone();
    tokio::spawn(async move {
        task_log.borrow_mut().push("start".to_string());
        tick().await;
        let entries = task_log.borrow();
        println!("{} entries", entries.len());
        drop(entries);
        tick().await;
        task_log.borrow_mut().push("end".to_string());
    })
    .await
    .unwrap();
    assert_eq!(log.borrow().len(), 2);
}
