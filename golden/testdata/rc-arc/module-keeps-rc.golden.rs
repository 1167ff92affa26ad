use std::rc::Rc;
use std::sync::Arc;

// A parse tree shared inside one thread: Rc on purpose.
struct Node {
    name: String,
    children: Vec<Rc<Node>>,
}

fn count(n: &Rc<Node>) -> usize {
    1 + n.children.iter().map(count).sum::<usize>()
}

async fn report(total: usize) {
    println!("{total} nodes");
}

#[tokio::main]
async fn main() {
    let leaf = Rc::new(Node { name: "leaf".into(), children: vec![] });
    let root = Rc::new(Node { name: "root".into(), children: vec![leaf.clone(), leaf] });
    let total = count(&root);
    println!("{}", root.name);
    let banner = Arc::new(format!("tree of {}", root.children.len()));
    tokio::spawn(async move {
        report(total).await;
        println!("{banner}");
    })
    .await
    .unwrap();
}
