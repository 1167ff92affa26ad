// golden: run
use std::sync::{Arc, Mutex, Weak};

struct Tree {
    children: Mutex<Vec<u32>>,
}

struct Child {
    tree: Weak<Tree>,
}

async fn tick() {}

#[tokio::main]
async fn main() {
    let tree = Arc::new(Tree { children: Mutex::new(Vec::new()) });
    let child = Child { tree: Arc::downgrade(&tree) };
    tokio::spawn(async move {
        tick().await;
        if let Some(t) = child.tree.upgrade() {
            t.children.lock().unwrap().push(7);
        }
    })
    .await
    .unwrap();
    assert_eq!(tree.children.lock().unwrap().len(), 1);
    println!("{:?}", tree.children.lock().unwrap());
}
