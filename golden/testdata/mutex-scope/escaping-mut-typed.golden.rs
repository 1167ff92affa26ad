use std::sync::{Arc, Mutex};

async fn store(v: Vec<u8>) {
    println!("{}", v.len());
}

#[tokio::main]
async fn main() {
    let buf = Arc::new(Mutex::new(vec![1u8, 2]));
    let b = buf.clone();
    tokio::spawn(async move {
        let mut copy: Vec<u8> = {
            let data = b.lock().unwrap();
            data.clone()
        };
        copy.push(3);
        store(copy).await;
    })
    .await
    .unwrap();
}
