use std::sync::{Arc, Mutex};

async fn alert(level: u8) {
    println!("alert {level}");
}

#[tokio::main]
async fn main() {
    let errors = Arc::new(Mutex::new(0u8));
    let e = errors.clone();
    let level = 2u8;
    tokio::spawn(async move {
        let mut count = e.lock().unwrap();
        *count += 1;
        match level {
            0 => {}
            n if n > 1 => alert(n).await,
            _ => println!("minor"),
        }
    })
    .await
    .unwrap();
}
