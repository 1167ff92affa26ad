// golden: expect=send-error
use std::rc::Rc;

async fn tick() {}

fn count(v: &Rc<Vec<u8>>) -> usize {
    v.len()
}

#[tokio::main]
async fn main() {
    let data = Rc::new(vec![1u8, 2]);
    // This call is in macro tokens: its argument would stay Rc.
    let local = Rc::new(vec![7u8]);
    println!("{}", count(&local));
    let h = tokio::spawn(async move {
        tick().await;
        count(&data)
    });
    assert_eq!(h.await.unwrap(), 2);
}
