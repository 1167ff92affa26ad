use std::rc::Rc;

struct Doc {
    nodes: Rc<Vec<String>>,
}

fn count(doc: Doc) -> usize {
    doc.nodes.len()
}

async fn store(_n: usize) {}

#[tokio::main]
async fn main() {
    tokio::spawn(async {
        let doc = Doc { nodes: Rc::new(vec!["a".into()]) };
        let n = count(doc);
        store(n).await;
    })
    .await
    .unwrap();
}
