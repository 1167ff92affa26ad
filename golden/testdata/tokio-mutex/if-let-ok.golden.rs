use std::sync::Arc;
use tokio::sync::Mutex;

async fn render(n: usize) -> String {
    format!("<li>{n}</li>")
}

async fn count(views: &Mutex<Vec<String>>) -> usize {
    let list = views.lock().await;
    list.len()
}

async fn page(views: Arc<Mutex<Vec<String>>>) {
    {
        let mut list = views.lock().await;
        list.push("start".to_string());
    }
    let mut list = views.lock().await;
    let html = render(list.len()).await;
    list.push(html);
}

#[tokio::main]
async fn main() {
    let views = Arc::new(Mutex::new(Vec::new()));
    tokio::spawn(page(views.clone())).await.unwrap();
    println!("{} views", count(&views).await);
}
