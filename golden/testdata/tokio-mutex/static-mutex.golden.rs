// golden: run
use tokio::sync::Mutex;

static COUNTERS: Mutex<Vec<u64>> = Mutex::const_new(Vec::new());

async fn upstream(n: u64) -> u64 {
    tokio::task::yield_now().await;
    n * 2
}

async fn tally(n: u64) {
    let mut c = COUNTERS.lock().await;
    let doubled = upstream(n).await;
    c.push(doubled);
}

#[tokio::main]
async fn main() {
    tokio::spawn(tally(21)).await.unwrap();
    assert_eq!(*COUNTERS.lock().await, vec![42]);
}
