use std::sync::Arc;

struct Limits {
    max: u32,
}

struct Inner {
    limits: Arc<Limits>,
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
    let limits = Arc::new(Limits { max: 3 });
    let svc = Service { inner: Inner { limits: Arc::clone(&limits) }, name: "api".into() };
    tokio::spawn(serve(svc)).await.unwrap();
}
