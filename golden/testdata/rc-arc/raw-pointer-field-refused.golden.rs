// golden: expect=send-error
use std::rc::Rc;

struct Buf {
    data: Rc<Vec<u8>>,
    cursor: *const u8,
}

async fn tick() {}

#[tokio::main]
async fn main() {
    let data = Rc::new(vec![1u8, 2, 3]);
    let buf = Buf { cursor: data.as_ptr(), data };
    tokio::spawn(async move {
        tick().await;
        println!("{} {:?}", buf.data.len(), buf.cursor);
    })
    .await
    .unwrap();
}
