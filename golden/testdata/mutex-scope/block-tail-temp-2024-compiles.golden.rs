// golden: edition=2024
// Edition 2024 drops a block tail's temporaries at the block's end: the
// guard in the match scrutinee's block is gone before the arm awaits, so
// this compiles and nothing changes. (The 2021 twin: match-block-tail-2021.)
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
