use std::rc::Rc;

async fn fetch(n: usize) -> usize {
    n + 1
}

#[tokio::main]
async fn main() {
    let h = tokio::spawn(async {
        let names: Rc<Vec<String>> = Rc::new(vec!["a".into(), "b".into()]);
        let n = fetch(names.len()).await;
        format!("{} {}", n, names.join(","))
    });
    println!("{}", h.await.unwrap());
}
