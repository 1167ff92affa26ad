// golden: run
use std::sync::Arc;

struct Node {
    name: String,
    parent: Option<std::sync::Weak<Node>>,
}

impl Node {
    async fn describe(self) -> String {
        tick().await;
        let up = self.parent.as_ref().and_then(|w| w.upgrade());
        match up {
            Some(p) => format!("{} under {}", self.name, p.name),
            None => format!("{} (gone)", self.name),
        }
    }
}

async fn tick() {}

#[tokio::main]
async fn main() {
    let root = Arc::new(Node { name: "root".into(), parent: None });
    let leaf = Node { name: "leaf".into(), parent: Some(Arc::downgrade(&root)) };
    let s = tokio::spawn(leaf.describe()).await.unwrap();
    assert_eq!(s, "leaf under root");
    println!("{s}");
}
