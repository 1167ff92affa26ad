use std::sync::Arc;

#[tokio::main]
async fn main() {
    let name = Arc::new(String::from("job"));
    tokio::spawn(/* runs on any worker */ async move {
        println!("{}", name);
    })
    .await
    .unwrap();
}
