use std::rc::Rc;

async fn some_async_function() {}

async fn problematic_task() {
    let data = Rc::new(42);
    tokio::spawn(async move {
        // the spawned block may run on another thread
        println!("{}", data);
        some_async_function().await;
    });
}

#[tokio::main]
async fn main() {
    problematic_task().await;
}
