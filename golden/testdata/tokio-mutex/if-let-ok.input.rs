use std::sync::{Arc, Mutex};

async fn render(n: usize) -> String {
    format!("<li>{n}</li>")
}

async fn count(views: &Mutex<Vec<String>>) -> usize {
    let Ok(list) = views.lock() else {
        return 0;
    };
    list.len()
}

async fn page(views: Arc<Mutex<Vec<String>>>) {
    if let Ok(mut list) = views.lock() {
        list.push("start".to_string());
    } else {
        return;
    }
    let mut list = views.lock().unwrap();
    let html = render(list.len()).await;
    list.push(html);
}

#[tokio::main]
async fn main() {
    let views = Arc::new(Mutex::new(Vec::new()));
    tokio::spawn(page(views.clone())).await.unwrap();
    println!("{} views", count(&views).await);
}
