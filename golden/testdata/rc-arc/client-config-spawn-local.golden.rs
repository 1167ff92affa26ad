use std::rc::Rc;

struct Config {
    retries: u32,
}

struct Client {
    config: Rc<Config>,
}

impl Client {
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
    let client = Client { config: Rc::new(Config { retries: 3 }) };
    let local = tokio::task::LocalSet::new();
    local.run_until(async move {
        tokio::task::spawn_local(handle(client)).await.unwrap();
    }).await;
}
