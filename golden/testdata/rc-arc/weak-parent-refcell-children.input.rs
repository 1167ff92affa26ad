// golden: run
use std::cell::RefCell;
use std::rc::{Rc, Weak};

struct Tree {
    children: RefCell<Vec<u32>>,
}

struct Child {
    tree: Weak<Tree>,
}

async fn tick() {}

#[tokio::main]
async fn main() {
    let tree = Rc::new(Tree { children: RefCell::new(Vec::new()) });
    let child = Child { tree: Rc::downgrade(&tree) };
    tokio::spawn(async move {
        tick().await;
        if let Some(t) = child.tree.upgrade() {
            t.children.borrow_mut().push(7);
        }
    })
    .await
    .unwrap();
    assert_eq!(tree.children.borrow().len(), 1);
    println!("{:?}", tree.children.borrow());
}
