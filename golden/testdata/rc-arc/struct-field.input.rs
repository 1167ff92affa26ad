use std::rc::Rc;

struct Job {
    id: u32,
    label: Rc<str>,
}

async fn run(id: u32) {
    println!("running {id}");
}

#[tokio::main]
async fn main() {
    let label: Rc<str> = Rc::from("nightly");
    let job = Job { id: 7, label: label.clone() };
    tokio::spawn(async move {
        run(job.id).await;
        println!("{} done", job.label);
    })
    .await
    .unwrap();
    println!("{label}");
}
