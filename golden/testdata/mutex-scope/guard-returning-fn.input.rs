use std::sync::{Arc, Mutex, MutexGuard};

struct State {
    visits: u64,
}

fn state(shared: &Mutex<State>) -> MutexGuard<'_, State> {
    shared.lock().unwrap()
}

async fn log_visit() {}

#[tokio::main]
async fn main() {
    let shared = Arc::new(Mutex::new(State { visits: 0 }));
    let s = shared.clone();
    tokio::spawn(async move {
        let mut st = state(&s);
        st.visits += 1;
        log_visit().await;
    })
    .await
    .unwrap();
}
