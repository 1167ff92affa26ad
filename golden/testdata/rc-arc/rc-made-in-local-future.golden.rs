// The same Rc made inside a future that only spawn_local runs: it need not
// be Send, so nothing changes.
use std::rc::Rc;

async fn tick() {
    tokio::task::yield_now().await;
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let local_set = tokio::task::LocalSet::new();
    local_set
        .run_until(async {
            tokio::task::spawn_local(async move {
                let local = Rc::new(1u32);
                tick().await;
                println!("{}", local);
            })
            .await
            .unwrap();
        })
        .await;
}
