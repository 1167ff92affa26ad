use std::rc::Rc;

// `show` must be Send (a task awaits it), but its `&str` parameter holds
// no Rc: main's Rc<str> only lends it a `&str`, and stays Rc.
async fn show(s: &str) {
    println!("{s}");
}

#[tokio::main]
async fn main() {
    let h = tokio::spawn(async {
        show("from a task").await;
    });
    h.await.unwrap();
    let name: Rc<str> = Rc::from("local report");
    show(&name).await;
    println!("refs: {}", Rc::strong_count(&name));
}
