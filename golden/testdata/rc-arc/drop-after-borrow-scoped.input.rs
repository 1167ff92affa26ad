use std::rc::Rc;

struct Doc {
    nodes: Rc<Vec<String>>,
}

impl Doc {
    fn parse(s: &str) -> Doc {
        Doc { nodes: Rc::new(s.split(' ').map(String::from).collect()) }
    }
    fn select(&self, i: usize) -> Option<String> {
        self.nodes.get(i).cloned()
    }
}

async fn fetch() -> String {
    "a b c".to_string()
}

async fn store(_s: Option<String>) {}

#[tokio::main]
async fn main() {
    tokio::spawn(async {
        let body = fetch().await;
        let doc = Doc::parse(&body);
        let first = doc.select(0);
        drop(doc);
        store(first).await;
    })
    .await
    .unwrap();
}
