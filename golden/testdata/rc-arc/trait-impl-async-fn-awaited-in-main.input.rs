use std::rc::{Rc, Weak};

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
        self.parent.upgrade().map(|p| p.name.len()).unwrap_or(0)
    }
}

async fn tick() {}

#[tokio::main]
async fn main() {
    let p = Rc::new(Parent { name: "root".into() });
    let worker = Worker { parent: Rc::downgrade(&p) };
    println!("{}", worker.run().await);
}
