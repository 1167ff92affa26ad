//! A struct holding an `rc::Weak`, reached through a spawned method
//! future: rustc names the struct (`Node`) and, in its help, the
//! `std::rc::Weak<u32>` within it.
use std::rc::{Rc, Weak};
use std::time::Duration;

async fn tick() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

struct Node {
    parent: Weak<u32>,
    n: u32,
}

impl Node {
    async fn run(self) {
        tick().await;
        println!("{} {:?}", self.n, self.parent.upgrade());
    }
}

#[tokio::main]
async fn main() {
    let parent = Rc::new(1u32);
    let node = Node { parent: Rc::downgrade(&parent), n: 2 };
    tokio::spawn(node.run()).await.unwrap();
}
