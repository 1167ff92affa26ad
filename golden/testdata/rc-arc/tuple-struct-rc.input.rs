use std::rc::Rc;
struct Pair(Rc<u32>, u32);
async fn tick() {}
#[tokio::main]
async fn main() {
    let p = Pair(Rc::new(1), 2);
    tokio::spawn(async move { tick().await; println!("{} {}", p.0, p.1); }).await.unwrap();
}
