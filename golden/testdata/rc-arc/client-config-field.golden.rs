use std::sync::Arc;

struct Config {
    retries: u32,
}

struct Client {
    config: Arc<Config>,
}

impl Client {
    fn new(config: Config) -> Self {
        Client { config: Arc::new(config) }
    }

    async fn call(&self) -> u32 {
        tick().await;
        self.config.retries
    }
}

async fn tick() {}

async fn handle(client: Client) {
    let n = client.call().await;
    println!("{n}");
}

#[tokio::main]
async fn main() {
    let client = Client::new(Config { retries: 3 });
    tokio::spawn(handle(client)).await.unwrap();
}
