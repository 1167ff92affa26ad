use std::rc::Rc;
trait Store { fn get(&self) -> u32; }
struct Mem(u32);
impl Store for Mem { fn get(&self) -> u32 { self.0 } }
struct Svc { store: Rc<dyn Store> }
impl Svc { fn new(store: Rc<dyn Store>) -> Self { Svc { store } } }
async fn tick() {}
#[tokio::main]
async fn main() {
    let svc = Svc::new(Rc::new(Mem(3)));
    tokio::spawn(async move { tick().await; println!("{}", svc.store.get()); }).await.unwrap();
}
