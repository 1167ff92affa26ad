use std::rc::Rc;

struct Handle {
    inner: Rc<u32>,
}

// The program promises that Handle is only ever used from one thread at a time.
unsafe impl Send for Handle {}

impl Handle {
    fn get(&self) -> u32 {
        *self.inner
    }
}

async fn tick() {}

#[tokio::main]
async fn main() {
    let h = Handle { inner: Rc::new(5) };
    tokio::spawn(async move {
        tick().await;
        println!("{}", h.get());
    })
    .await
    .unwrap();
}
