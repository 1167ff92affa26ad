use std::sync::{Arc, Mutex};

async fn save(name: String) {
    println!("saved {name}");
}

#[tokio::main]
async fn main() {
    let names = Arc::new(Mutex::new(vec![String::from("a")]));
    tokio::spawn(async move {
        let mut list = names.lock().unwrap();
        list.push(String::from("b"));
        save(String::from("b")).await;
    });
}