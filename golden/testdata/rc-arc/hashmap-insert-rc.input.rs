use std::collections::HashMap;
use std::rc::Rc;
async fn tick() {}
#[tokio::main]
async fn main() {
    let mut m: HashMap<u32, Rc<String>> = HashMap::new();
    let v = Rc::new("a".to_string());
    m.insert(1, v.clone());
    tokio::spawn(async move { tick().await; println!("{:?}", m.get(&1)); }).await.unwrap();
    println!("{v}");
}
