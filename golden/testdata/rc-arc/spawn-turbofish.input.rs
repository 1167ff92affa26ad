use std::rc::Rc;

#[tokio::main]
async fn main() {
    let name = Rc::new(String::from("job"));
    tokio::task::spawn::<_>(async move {
        println!("{}", name);
    })
    .await
    .unwrap();
}
