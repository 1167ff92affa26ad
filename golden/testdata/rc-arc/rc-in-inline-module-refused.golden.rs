// golden: expect=send-error
// The Rc is spelled inside an inline module, whose own `use` brings it in:
// the rule edits only the file's top-level imports, so it refuses.
mod server {
    use std::rc::Rc;

    async fn tick() {}

    pub async fn run() {
        let name = Rc::new(String::from("svc"));
        tokio::spawn(async move {
            tick().await;
            println!("{name}");
        })
        .await
        .unwrap();
    }
}

#[tokio::main]
async fn main() {
    server::run().await;
}
