use std::sync::Arc;

async fn fetch(n: usize) -> usize {
    n + 1
}

#[tokio::main]
async fn main() {
    let h = tokio::spawn(async {
        let names: Arc<Vec<String>> = Arc::new(vec!["a".into(), "b".into()]);
        let n = fetch(names.len()).await;
        format!("{} {}", n, names.join(","))
    });
    println!("{}", h.await.unwrap());
}
