use std::rc::Rc;

async fn tick() {}

#[tokio::main]
async fn main() {
    let greeting = Rc::new(String::from("hello"));
    let handle = tokio::spawn(async move {
        println!("{greeting}");
        tick().await;
    });
    handle.await.unwrap();
}
