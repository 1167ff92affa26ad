// golden: expect=send-error
#[path = "store_impl.rs"]
mod store;

use store::Store;

async fn flush(n: usize) {
    println!("{n}");
}

async fn push(s: Store) {
    let mut v = s.lock().unwrap();
    v.push(1);
    flush(v.len()).await;
    v.push(2);
}

#[tokio::main]
async fn main() {
    tokio::spawn(push(store::make())).await.unwrap();
}
