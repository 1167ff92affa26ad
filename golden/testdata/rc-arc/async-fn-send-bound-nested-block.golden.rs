// An Rc made in an async fn whose future is passed to a fn with a
// `F: Future + Send` bound, held across an await in a nested block.
use std::future::Future;
use std::sync::Arc;

async fn tick() {}

fn require_send<F: Future + Send>(f: F) -> F {
    f
}

async fn task() {
    let shared = Arc::new(vec![1u32, 2]);
    {
        let extra = 3u32;
        tick().await;
        println!("{extra}");
    }
    println!("{}", shared.len());
}

#[tokio::main]
async fn main() {
    require_send(task()).await;
}
