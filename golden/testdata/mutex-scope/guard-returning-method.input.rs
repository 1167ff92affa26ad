use std::sync::{Arc, Mutex, MutexGuard};

struct Server {
    conns: Mutex<Vec<u32>>,
}

impl Server {
    fn conns(&self) -> MutexGuard<'_, Vec<u32>> {
        self.conns.lock().unwrap()
    }

    async fn greet(&self, id: u32) {
        println!("hello {id}");
    }

    async fn accept(self: Arc<Self>, id: u32) {
        let mut conns = self.conns();
        conns.push(id);
        self.greet(id).await;
    }
}

#[tokio::main]
async fn main() {
    let server = Arc::new(Server { conns: Mutex::new(Vec::new()) });
    tokio::spawn(server.clone().accept(7)).await.unwrap();
}
