use std::rc::{Rc, Weak};

async fn tick() {}

#[tokio::main]
async fn main() {
    let state = Rc::new(41);
    let watcher: Weak<i32> = Rc::downgrade(&state);
    let task = tokio::spawn(async move {
        tick().await;
        if let Some(s) = watcher.upgrade() {
            println!("state is {}", *s + 1);
        }
    });
    task.await.unwrap();
    drop(state);
}
