//! One file, two fixes: the Rc captured by the first spawn becomes an Arc
//! (compiles); the scope of the second spawn's guard breaks the build
//! (E0597: `first` borrows from the guard) and is rolled back alone, the
//! Arc staying, until the grown scope compiles.
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn tick() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

#[tokio::main]
async fn main() {
    let greeting = Rc::new(String::from("hello"));
    let a = tokio::spawn(async move {
        tick().await;
        println!("{greeting}");
    });

    let words = Arc::new(Mutex::new(vec![String::from("one"), String::from("two")]));
    let w = words.clone();
    let b = tokio::spawn(async move {
        let g = w.lock().unwrap();
        let first = g.first().map(|s| s.as_str()).unwrap_or("");
        println!("{first}");
        tick().await;
    });
    a.await.unwrap();
    b.await.unwrap();
}
