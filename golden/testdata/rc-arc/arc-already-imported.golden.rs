use std::sync::Arc;

async fn publish(topic: &str) {
    println!("publish {topic}");
}

#[tokio::main]
async fn main() {
    let shared = Arc::new(5u8);
    let topic = Arc::new(String::from("news"));
    tokio::spawn(async move {
        publish(&topic).await;
        println!("{shared}");
    })
    .await
    .unwrap();
}
