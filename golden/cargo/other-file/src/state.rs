//! The shared state: its Mutex's type is decided here, and locked in
//! main.rs, across an await.
use std::sync::Mutex;

pub(crate) struct State {
    pub(crate) jobs: Mutex<Vec<u32>>,
}
