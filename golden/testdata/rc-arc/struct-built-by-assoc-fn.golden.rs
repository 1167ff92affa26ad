use std::sync::Arc;

struct Config {
    name: Arc<String>,
    retries: u32,
}

impl Config {
    fn new(name: &str) -> Self {
        Config { name: Arc::new(name.to_string()), retries: 3 }
    }
    fn label(&self) -> String {
        format!("{}x{}", self.name, self.retries)
    }
}

async fn tick() {}

#[tokio::main]
async fn main() {
    let cfg = Config::new("svc");
    let h = tokio::spawn(async move {
        tick().await;
        println!("{}", cfg.label());
    });
    h.await.unwrap();
}
