use std::sync::Arc;
trait Store { fn get(&self) -> u32; }
struct Mem(u32);
impl Store for Mem { fn get(&self) -> u32 { self.0 } }
struct Svc { store: Arc<dyn Store + Send + Sync> }
impl Svc { fn new(store: Arc<dyn Store + Send + Sync>) -> Self { Svc { store } } }
async fn tick() {}
#[tokio::main]
async fn main() {
    let svc = Svc::new(Arc::new(Mem(3)));
    tokio::spawn(async move { tick().await; println!("{}", svc.store.get()); }).await.unwrap();
}
