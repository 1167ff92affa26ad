// golden: expect=send-error
use std::rc::Rc;

pub struct Settings {
    pub name: Rc<String>,
}

async fn announce(settings: Settings) {
    println!("{}", settings.name);
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    let settings = Settings { name: Rc::new(String::from("prod")) };
    tokio::spawn(announce(settings)).await.unwrap();
}
