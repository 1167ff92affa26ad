use std::cell::Cell;
use std::rc::Rc;

async fn tick() {}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let hits = Rc::new(Cell::new(0u32));
    let h = hits.clone();
    let local = tokio::task::LocalSet::new();
    local
        .run_until(async move {
            tokio::task::spawn_local(async move {
                h.set(h.get() + 1);
                tick().await;
            })
            .await
            .unwrap();
        })
        .await;
    println!("{}", hits.get());
}
