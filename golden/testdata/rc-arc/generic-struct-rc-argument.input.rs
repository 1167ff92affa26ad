use std::rc::Rc;

// The Rc holds the struct's type parameter.
struct Shared<T> {
    value: Rc<T>,
}

impl<T> Shared<T> {
    fn new(value: T) -> Self {
        Shared { value: Rc::new(value) }
    }
}

async fn report(s: Shared<Rc<u8>>) {
    println!("{}", s.value);
}

#[tokio::main]
async fn main() {
    let s = Shared::new(Rc::new(1u8));
    tokio::spawn(report(s)).await.unwrap();
}
