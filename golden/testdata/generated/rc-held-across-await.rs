// Reduced from TestGenerated seed=1 index=110 (and 1606 for Rc<RefCell<_>>):
// an Rc made inside the spawned future and used after an await. rc-arc only
// follows Rc values moved into the future, so there is no finding; rustc
// fails with the Send error (`Rc<u32>` held across the await).
use std::rc::Rc;

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main]
async fn main() {
    tokio::spawn(async move {
        let local = Rc::new(1u32);
        tick().await;
        println!("{}", local);
    })
    .await
    .unwrap();
}
