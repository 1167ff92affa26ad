use std::rc::Rc;

async fn tick() {}

#[tokio::main]
async fn main() {
    tokio::spawn(async {
        let total: u32 = {
            let parts = Rc::new(vec![1u32, 2, 3]);
            let view = Rc::clone(&parts);
            view.iter().sum()
        };
        tick().await;
        println!("{total}");
    })
    .await
    .unwrap();
}
