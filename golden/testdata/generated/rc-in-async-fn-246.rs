// generated: seed=1 index=246
// parts: edition=2021 lock=std-mutex-path take=temp-arg unwrap=expect wrap=flat ctx=spawn-awaits-fn rc=rc-held outside=sync-helper
use std::rc::Rc;
use std::sync::Arc;

fn report(m: &std::sync::Mutex<Vec<u32>>) -> usize {
    m.lock().unwrap().len()
}

fn sink<T: std::fmt::Debug>(v: T) {
    let _ = format!("{:?}", v);
}

async fn tick() {
    tokio::task::yield_now().await;
}

async fn work(n: u32) -> u32 {
    tick().await;
    n + 1
}

async fn task(data: Arc<std::sync::Mutex<Vec<u32>>>) {
    let local = Rc::new(1u32);
    sink(work(data.lock().expect("lock poisoned").len() as u32).await);
    sink(*local);
}

#[tokio::main]
async fn main() {
    let shared = Arc::new(std::sync::Mutex::new(vec![1, 2, 3]));
    let data = shared.clone();
    tokio::spawn(async move { task(data).await }).await.unwrap();
    sink(report(&shared));
}
