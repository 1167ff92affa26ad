//! One file, two fixes: the Rc captured by the first spawn becomes an Arc
//! (compiles); the scope of the second spawn's guard breaks the build
//! (E0597: `first` borrows from the guard, which only the compiler can
//! tell) and is rolled back alone, the Arc staying, until the swap of the
//! Mutex for tokio's compiles.
mod ext;

use ext::Head;
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
        let first = g.head();
        tick().await;
        println!("{first}");
    });
    a.await.unwrap();
    b.await.unwrap();
}
