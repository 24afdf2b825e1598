//! Publishing tests: the real `barta serve` delivers published articles to a real WordPress
//! (Debian's package on a throwaway MariaDB, served by `php -S`: see
//! [`barta_tests::WordPress`]) and to a webhook receiver written here, through the project's
//! fault proxy where a test needs WordPress to misbehave.

mod harness;
mod targets;
mod webhook;
mod wordpress;

pub use barta_tests::newsroom::{Newsroom, PNG, SETTLE, Story, marker, only_post, posts_of};
