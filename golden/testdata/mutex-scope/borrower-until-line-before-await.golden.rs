// golden: run
use std::sync::{Arc, Mutex};

struct Doc {
    name: String,
    words: u32,
}

async fn save() {}

#[tokio::main]
async fn main() {
    let doc = Arc::new(Mutex::new(Doc { name: "notes".into(), words: 12 }));
    let d = doc.clone();
    tokio::spawn(async move {
        {
            let st = d.lock().unwrap();
            let name = st.name.as_str();
            println!("saving {name} ({} words)", st.words);
        }
        save().await;
    })
    .await
    .unwrap();
}
