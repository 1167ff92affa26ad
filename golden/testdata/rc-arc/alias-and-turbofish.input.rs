use std::rc::Rc;

type Shared = Rc<Vec<u32>>;

fn build() -> Shared {
    Rc::<Vec<u32>>::new((1..=3).collect())
}

async fn total(v: Shared) -> u32 {
    v.iter().sum()
}

#[tokio::main]
async fn main() {
    let values = build();
    let sum = tokio::spawn(total(values.clone())).await.unwrap();
    println!("{sum} from {} values", values.len());
}
