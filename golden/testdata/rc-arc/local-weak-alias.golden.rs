use std::sync::Arc;

// A type of the file's own that happens to be called Weak.
type Weak = Arc<i32>;

async fn run(w: Weak) {
    println!("{}", w);
}

#[tokio::main]
async fn main() {
    tokio::spawn(run(Arc::new(1))).await.unwrap();
}
