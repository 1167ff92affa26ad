// golden: run
use std::sync::Arc;
use tokio::sync::Mutex;

type Shared = Arc<Mutex<Vec<u32>>>;

struct Registry {
    slots: Vec<Shared>,
    by_id: std::collections::HashMap<u32, Arc<Mutex<Vec<u32>>>>,
}

fn each<F>(r: &Registry, f: F)
where
    F: Fn(&Mutex<Vec<u32>>),
{
    for s in &r.slots {
        f(s);
    }
}

fn visit(r: &Registry, f: &dyn Fn(&Mutex<Vec<u32>>) -> usize) -> usize {
    r.slots.iter().map(|s| f(s)).sum()
}

fn count<T>(v: &[T]) -> usize {
    v.len()
}

async fn flush(n: usize) {
    println!("{n}");
}

async fn run(r: Arc<Registry>) {
    let mut first = r.slots[0].lock().await;
    first.push(1);
    flush(first.len()).await;
    first.push(2);
}

#[tokio::main]
async fn main() {
    let r = Arc::new(Registry { slots: vec![Shared::default(), Arc::new(Mutex::new(vec![5]))], by_id: Default::default() });
    tokio::spawn(run(r.clone())).await.unwrap();
    each(&r, |_m| {});
    let n = count::<Arc<Mutex<Vec<u32>>>>(&r.slots);
    assert_eq!(n, 2);
    assert_eq!(visit(&r, &|_m| 1), 2);
}
