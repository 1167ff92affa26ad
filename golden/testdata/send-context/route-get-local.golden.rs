// The negative twin of route-get-handler: `get` asks no Send of the
// handler's futures, which run on this thread.
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;

static VISITS: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

async fn tick() {}

type Handler = Box<dyn Fn() -> Pin<Box<dyn Future<Output = ()>>>>;

struct Router {
    routes: Vec<(&'static str, Handler)>,
}

impl Router {
    fn new() -> Self {
        Router { routes: Vec::new() }
    }

    fn route(mut self, path: &'static str, handler: Handler) -> Self {
        self.routes.push((path, handler));
        self
    }
}

fn get<H, Fut>(handler: H) -> Handler
where
    H: Fn() -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    Box::new(move || Box::pin(handler()))
}

async fn index() {
    let mut v = VISITS.lock().unwrap();
    v.push("/");
    tick().await;
}

#[tokio::main]
async fn main() {
    let app = Router::new().route("/", get(index));
    for (_, handler) in &app.routes {
        handler().await;
    }
}
