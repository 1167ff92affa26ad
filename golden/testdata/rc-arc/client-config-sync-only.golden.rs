use std::rc::Rc;

struct Config {
    retries: u32,
}

struct Client {
    config: Rc<Config>,
}

impl Client {
    fn call(&self) -> u32 {
        self.config.retries
    }
}

async fn tick() {}

#[tokio::main]
async fn main() {
    let client = Client { config: Rc::new(Config { retries: 3 }) };
    let n = client.call();
    tokio::spawn(async move {
        tick().await;
        println!("{n}");
    })
    .await
    .unwrap();
}
