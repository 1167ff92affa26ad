// A struct of the file's own that happens to be called Rc.
#[derive(Clone, Debug)]
struct Rc(u32);

async fn show(r: Rc) {
    println!("{:?}", r);
}

#[tokio::main]
async fn main() {
    let r = Rc(7);
    tokio::spawn(async move { show(r).await }).await.unwrap();
}
