// A local `join!` macro that does not await (no `use` of tokio's): the
// guard is held across no await, and nothing changes.
use std::sync::{Arc, Mutex};

macro_rules! join {
    ($a:expr, $b:expr) => {
        ($a, $b)
    };
}

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    tokio::spawn(async move {
        tick().await;
        let mut g = data.lock().unwrap();
        g.push(4);
        let (a, b) = join!(g.len(), 2);
        println!("{} {}", a, b);
    })
    .await
    .unwrap();
}
