use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn tick() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

#[tokio::main]
async fn main() {
    let data = Arc::new(Mutex::new(Vec::<String>::new()));
    let d = data.clone();
    tokio::spawn(async move {
        let mut g = d.lock().unwrap();
        g.push("x".to_string());
        tick().await;
        // A borrow-check error that rustc shows only once the future is
        // Send: the fix compiles, and then this appears.
        let s = String::from("moved");
        let r = &s;
        drop(s);
        println!("{r}");
    })
    .await
    .unwrap();
}
