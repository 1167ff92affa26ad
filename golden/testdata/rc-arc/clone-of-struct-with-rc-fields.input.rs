// golden: run
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Clone)]
struct State {
    hits: Rc<RefCell<u64>>,
    name: Rc<String>,
}

impl State {
    fn hit(&self) {
        *self.hits.borrow_mut() += 1;
    }
}

async fn tick() {}

#[tokio::main]
async fn main() {
    let st = State { hits: Rc::new(RefCell::new(0)), name: Rc::new("svc".into()) };
    let st2 = st.clone();
    let h = tokio::spawn(async move {
        st2.hit();
        tick().await;
        st2.hit();
        format!("{} {}", st2.name, st2.hits.borrow())
    });
    println!("{}", h.await.unwrap());
    println!("{}", st.hits.borrow());
}
