// golden: expect=send-error
use std::cell::RefCell;
use std::rc::Rc;

async fn tick() {}

#[tokio::main]
async fn main() {
    let label = Rc::new(String::from("n"));
    let hooks: Rc<RefCell<Vec<Box<dyn Fn() -> usize>>>> = Rc::new(RefCell::new(Vec::new()));
    let l = Rc::clone(&label);
    hooks.borrow_mut().push(Box::new(move || l.len()));
    let h = Rc::clone(&hooks);
    tokio::spawn(async move {
        tick().await;
        println!("{}", h.borrow().len());
    })
    .await
    .unwrap();
    println!("{label}");
}
