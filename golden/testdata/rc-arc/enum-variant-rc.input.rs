use std::rc::Rc;
enum Msg { Text(Rc<String>), Quit }
async fn tick() {}
#[tokio::main]
async fn main() {
    let m = Msg::Text(Rc::new("hi".into()));
    tokio::spawn(async move { tick().await; if let Msg::Text(t) = m { println!("{t}"); } }).await.unwrap();
    let _ = Msg::Quit;
}
