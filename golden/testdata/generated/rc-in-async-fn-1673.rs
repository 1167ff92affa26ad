// generated: seed=1 index=1673
// parts: edition=2021 lock=none await=in-argument wrap=if ctx=spawn-awaits-fn rc=rc-held outside=none
use std::rc::Rc;

fn sink<T: std::fmt::Debug>(v: T) {
    let _ = format!("{:?}", v);
}

fn flag() -> bool {
    std::hint::black_box(true)
}

async fn tick() {
    tokio::task::yield_now().await;
}

async fn work(n: u32) -> u32 {
    tick().await;
    n + 1
}

async fn task() {
    let local = Rc::new(1u32);
    if flag() {
        sink(work(2).await);
    }
    sink(*local);
}

#[tokio::main]
async fn main() {
    tokio::spawn(async move { task().await }).await.unwrap();
}
