// `.boxed()` of futures' FutureExt requires a Send future. (The module
// below stands in for the futures crate, with FutureExt's `boxed` and
// `boxed_local`, inside a macro so that sendfix sees only the use.)
macro_rules! futures_stand_in {
    () => {
        mod futures {
            use std::future::Future;
            use std::pin::Pin;
            pub trait FutureExt: Future {
                fn boxed<'a>(self) -> Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>
                where
                    Self: Sized + Send + 'a,
                {
                    Box::pin(self)
                }
                fn boxed_local<'a>(self) -> Pin<Box<dyn Future<Output = Self::Output> + 'a>>
                where
                    Self: Sized + 'a,
                {
                    Box::pin(self)
                }
            }
            impl<T: Future + ?Sized> FutureExt for T {}
        }
    };
}
futures_stand_in!();

use futures::FutureExt;
use std::sync::{Arc, Mutex};

async fn tick() {}

#[tokio::main]
async fn main() {
    let hits = Arc::new(Mutex::new(0u32));
    let h = hits.clone();
    let job = async move {
        let mut n = h.lock().unwrap();
        *n += 1;
        tick().await;
    }
    .boxed();
    tokio::spawn(job).await.unwrap();
}
