// A default method of an `#[async_trait::async_trait]` trait.
use std::sync::Mutex;

static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());

async fn tick() {}

#[async_trait::async_trait]
trait Service {
    fn name(&self) -> String;

    async fn log_start(&self) {
        let mut log = LOG.lock().unwrap();
        log.push(self.name());
        tick().await;
    }
}

struct Web;

#[async_trait::async_trait]
impl Service for Web {
    fn name(&self) -> String {
        "web".to_string()
    }
}

#[tokio::main]
async fn main() {
    Web.log_start().await;
}
