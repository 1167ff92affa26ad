use std::sync::Arc;

#[tokio::main]
async fn main() {
    let name = Arc::new(String::from("job"));
    tokio::task::spawn::<_>(async move {
        println!("{}", name);
    })
    .await
    .unwrap();
}
