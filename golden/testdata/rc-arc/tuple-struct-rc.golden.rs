use std::sync::Arc;
struct Pair(Arc<u32>, u32);
async fn tick() {}
#[tokio::main]
async fn main() {
    let p = Pair(Arc::new(1), 2);
    tokio::spawn(async move { tick().await; println!("{} {}", p.0, p.1); }).await.unwrap();
}
