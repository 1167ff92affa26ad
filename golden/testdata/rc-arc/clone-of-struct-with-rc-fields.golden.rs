// golden: run
use std::sync::{Arc, Mutex};

#[derive(Clone)]
struct State {
    hits: Arc<Mutex<u64>>,
    name: Arc<String>,
}

impl State {
    fn hit(&self) {
        *self.hits.lock().unwrap() += 1;
    }
}

async fn tick() {}

#[tokio::main]
async fn main() {
    let st = State { hits: Arc::new(Mutex::new(0)), name: Arc::new("svc".into()) };
    let st2 = st.clone();
    let h = tokio::spawn(async move {
        st2.hit();
        tick().await;
        st2.hit();
        format!("{} {}", st2.name, st2.hits.lock().unwrap())
    });
    println!("{}", h.await.unwrap());
    println!("{}", st.hits.lock().unwrap());
}
