use std::rc::Rc;

struct Limits {
    max: u32,
}

struct Inner {
    limits: Rc<Limits>,
}

struct Service {
    inner: Inner,
    name: String,
}

async fn tick() {}

async fn serve(svc: Service) {
    tick().await;
    println!("{} {}", svc.name, svc.inner.limits.max);
}

#[tokio::main]
async fn main() {
    let limits = Rc::new(Limits { max: 3 });
    let svc = Service { inner: Inner { limits: Rc::clone(&limits) }, name: "api".into() };
    tokio::spawn(serve(svc)).await.unwrap();
}
