// golden: expect=send-error
use std::rc::Rc;

trait Greeter {
    fn greet(&self) -> String;
}

struct Local {
    name: Rc<String>,
}

impl Greeter for Local {
    fn greet(&self) -> String {
        format!("hi {}", self.name)
    }
}

async fn tick() {}

#[tokio::main]
async fn main() {
    let g: Rc<dyn Greeter> = Rc::new(Local { name: Rc::new("x".into()) });
    tokio::spawn(async move {
        tick().await;
        println!("{}", g.greet());
    })
    .await
    .unwrap();
}
