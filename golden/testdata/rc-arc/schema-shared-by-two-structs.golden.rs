use std::sync::Arc;

struct Schema {
    name: String,
}

struct Factory {
    schema: Arc<Schema>,
}

struct Buffer {
    schema: Arc<Schema>,
    rows: Vec<u32>,
}

impl Factory {
    fn buffer(&self) -> Buffer {
        Buffer { schema: Arc::clone(&self.schema), rows: Vec::new() }
    }
}

async fn flush(rows: usize) {
    let _ = rows;
}

#[tokio::main]
async fn main() {
    let f = Factory { schema: Arc::new(Schema { name: "t".into() }) };
    let mut b = f.buffer();
    tokio::spawn(async move {
        b.rows.push(1);
        flush(b.rows.len()).await;
        println!("{}", b.schema.name);
    })
    .await
    .unwrap();
}
