//! The `barta` binary.
fn main() {}
