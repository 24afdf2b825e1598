//! Bijoy (SutonnyMJ ANSI) ↔ Unicode, and a detector for Bijoy text pasted among Unicode
//! (bengali.md §4).
//!
//! The files: `table.rs` holds the SutonnyMJ glyph tables both ways, `cp1252.rs` decodes the
//! bytes of Bijoy files, `to_unicode.rs` and `to_bijoy.rs` convert, `detect.rs` finds Bijoy
//! runs in pasted text and converts only those.

mod cp1252;
mod detect;
mod table;
mod to_bijoy;
mod to_unicode;

pub use cp1252::decode_cp1252;
pub use detect::{bijoy_runs, convert_bijoy_runs, is_bijoy, is_bijoy_signature};
pub use table::glyph_table;
pub use to_bijoy::unicode_to_bijoy;
pub use to_unicode::{bijoy_bytes_to_unicode, bijoy_to_unicode};
