// golden: run
use std::sync::{Arc, Mutex};

#[derive(Debug)]
struct NoSeat;

async fn confirm(row: usize) {
    println!("row {row} booked");
}

async fn book(seats: Arc<Mutex<Vec<bool>>>, row: usize) -> Result<(), NoSeat> {
    {
        let mut all = seats.lock().unwrap();
        let slot = all.get_mut(row).ok_or_else(|| NoSeat)?;
        *slot = true;
    }
    confirm(row).await;
    Ok(())
}

#[tokio::main]
async fn main() {
    let seats = Arc::new(Mutex::new(vec![false; 4]));
    tokio::spawn(book(seats.clone(), 2)).await.unwrap().unwrap();
    assert!(seats.lock().unwrap()[2]);
}
