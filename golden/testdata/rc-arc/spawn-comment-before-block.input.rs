use std::rc::Rc;

#[tokio::main]
async fn main() {
    let name = Rc::new(String::from("job"));
    tokio::spawn(/* runs on any worker */ async move {
        println!("{}", name);
    })
    .await
    .unwrap();
}
