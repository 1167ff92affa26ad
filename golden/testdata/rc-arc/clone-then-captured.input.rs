use std::rc::Rc;

async fn save(_name: &str) {}

#[tokio::main]
async fn main() {
    let names: Rc<Vec<String>> = Rc::new(vec!["a".into(), "b".into()]);
    let names2 = names.clone();
    let task = tokio::spawn(async move {
        for n in names2.iter() {
            save(n).await;
        }
    });
    println!("{} names", names.len());
    task.await.unwrap();
}
