// golden: edition=2021
// Edition 2021 keeps a block tail's temporaries to the end of the
// statement around the block: the guard in the match scrutinee is held
// across the arm's await, and sendfix binds it inside the block.
use std::sync::{Arc, Mutex, MutexGuard};

fn entries(m: &Mutex<Vec<u32>>) -> MutexGuard<'_, Vec<u32>> {
    m.lock().unwrap()
}

async fn tick() {
    tokio::task::yield_now().await;
}

fn main() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let data = Arc::new(Mutex::new(vec![1, 2, 3]));
    let handle = rt.spawn(async move {
        match {
            entries(&data).len()
        } {
            0 => {}
            n => {
                tick().await;
                println!("{n}");
            }
        }
        let total = { data.lock().unwrap().iter().sum::<u32>() };
        tick().await;
        println!("{total}");
    });
    rt.block_on(handle).unwrap();
}
