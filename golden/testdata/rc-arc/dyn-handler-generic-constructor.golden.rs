// golden: run
use std::sync::Arc;

trait Handler {
    fn handle(&self, x: u32) -> u32;
}

struct Double;

impl Handler for Double {
    fn handle(&self, x: u32) -> u32 {
        x * 2
    }
}

struct Router {
    handlers: Vec<Arc<dyn Handler + Send + Sync>>,
}

impl Router {
    fn add<H: Handler + 'static + Send + Sync>(&mut self, h: H) {
        self.handlers.push(Arc::new(h));
    }
}

async fn tick() {}

#[tokio::main]
async fn main() {
    let mut router = Router { handlers: Vec::new() };
    router.add(Double);
    let out = tokio::spawn(async move {
        tick().await;
        router.handlers.iter().map(|h| h.handle(5)).sum::<u32>()
    })
    .await
    .unwrap();
    assert_eq!(out, 10);
    println!("{out}");
}
