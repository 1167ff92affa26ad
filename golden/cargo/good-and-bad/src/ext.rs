//! A method of the package whose signature sendfix does not read: only
//! the compiler knows that its result borrows from the receiver.
pub trait Head {
    fn head(&self) -> &str;
}

impl Head for Vec<String> {
    fn head(&self) -> &str {
        self.first().map(|s| s.as_str()).unwrap_or("")
    }
}
