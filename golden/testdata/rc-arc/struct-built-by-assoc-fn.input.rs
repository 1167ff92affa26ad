use std::rc::Rc;

struct Config {
    name: Rc<String>,
    retries: u32,
}

impl Config {
    fn new(name: &str) -> Self {
        Config { name: Rc::new(name.to_string()), retries: 3 }
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
