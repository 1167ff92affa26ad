use std::sync::{Arc, Mutex};

struct Stats {
	requests: u64,
	errors: u64,
}

async fn upload() -> Result<(), String> {
	Ok(())
}

#[tokio::main]
async fn main() {
	let stats = Arc::new(Mutex::new(Stats { requests: 0, errors: 0 }));
	let s = stats.clone();
	tokio::spawn(async move {
		let mut st = s.lock().unwrap();
		st.requests += 1;
		if st.requests > 10 {
			st.errors = 0;
		}

		if let Err(e) = upload().await {
			eprintln!("upload failed: {e}");
		}
	});
}
