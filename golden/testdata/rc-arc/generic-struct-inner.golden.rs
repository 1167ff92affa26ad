use std::sync::Arc;

// The Rc holds the struct's type parameter.
struct Shared<T> {
    value: Arc<T>,
}

impl<T> Shared<T> {
    fn new(value: T) -> Self {
        Shared { value: Arc::new(value) }
    }
}

async fn report(s: Shared<String>) {
    println!("{}", s.value);
}

#[tokio::main]
async fn main() {
    let s = Shared::new(String::from("ready"));
    tokio::spawn(report(s)).await.unwrap();
}
