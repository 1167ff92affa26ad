// The negative twin of rc-bound-inline: an Rc captured by a block that
// a fn without Send bound runs on this thread.
use std::future::Future;
use std::rc::Rc;

async fn tick() {}

fn run<F: Future<Output = ()> + 'static>(f: F) -> F {
    f
}

#[tokio::main]
async fn main() {
    let greeting = Rc::new(String::from("hello"));
    run(async move {
        println!("{greeting}");
        tick().await;
    })
    .await;
}
