// generated: seed=1 index=291
// parts: edition=2021 lock=std-rwlock-write take=match-ok use=none end=scope escape=nothing await=timeout wrap=flat ctx=spawn-fn rc=rc-refcell-held outside=spawn-blocking
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::{Arc, RwLock};

fn report(m: &RwLock<Vec<u32>>) -> usize {
    m.write().unwrap().len()
}

fn sink<T: std::fmt::Debug>(v: T) {
    let _ = format!("{:?}", v);
}

async fn tick() {
    tokio::task::yield_now().await;
}

async fn task(data: Arc<RwLock<Vec<u32>>>) {
    let counter = Rc::new(RefCell::new(1u32));
    match data.write() {
        Ok(mut g) => {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(5), tick()).await;
        }
        Err(_) => {
        }
    }
    *counter.borrow_mut() += 1;
    sink(counter.borrow().clone());
}

#[tokio::main]
async fn main() {
    let shared = Arc::new(RwLock::new(vec![1, 2, 3]));
    tokio::spawn(task(shared.clone())).await.unwrap();
    let d = shared.clone();
    sink(tokio::task::spawn_blocking(move || report(&d)).await.unwrap());
}
