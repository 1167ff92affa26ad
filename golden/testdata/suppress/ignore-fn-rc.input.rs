// golden: expect=send-error
use std::rc::Rc;

async fn tick() {}

// sendfix:ignore
async fn run() {
    let name = Rc::new(String::from("worker"));
    tokio::spawn(async move {
        tick().await;
        println!("{name}");
    })
    .await
    .unwrap();
}

#[tokio::main]
async fn main() {
    run().await;
}
