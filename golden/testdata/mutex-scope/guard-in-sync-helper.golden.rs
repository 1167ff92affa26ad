use std::sync::{Arc, Mutex};

fn bump(counter: &Mutex<u32>) -> u32 {
    let mut n = counter.lock().unwrap();
    *n += 1;
    *n
}

async fn report(n: u32) {
    println!("{n}");
}

#[tokio::main]
async fn main() {
    let counter = Arc::new(Mutex::new(0));
    let c = counter.clone();
    tokio::spawn(async move {
        let n = bump(&c);
        report(n).await;
    })
    .await
    .unwrap();
}
