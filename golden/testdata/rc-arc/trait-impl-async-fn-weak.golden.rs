use std::sync::{Arc, Weak};

struct Parent {
    name: String,
}

struct Worker {
    parent: Weak<Parent>,
}

trait Run {
    async fn run(&self) -> usize;
}

impl Run for Worker {
    async fn run(&self) -> usize {
        tick().await;
        match self.parent.upgrade() {
            Some(p) => p.name.len(),
            None => 0,
        }
    }
}

async fn tick() {}

#[tokio::main]
async fn main() {
    let p = Arc::new(Parent { name: "root".into() });
    let worker = Worker { parent: Arc::downgrade(&p) };
    let n = tokio::spawn(async move { worker.run().await }).await.unwrap();
    println!("{n}");
    drop(p);
}
