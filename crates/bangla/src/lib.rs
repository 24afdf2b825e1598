//! Bengali text for newsrooms. Pure: no I/O. (First cut: NFC plus invisible-character removal;
//! the full stored form of bengali.md §1 follows in issue 3.)

use unicode_normalization::UnicodeNormalization;

/// The stored form of a text.
pub fn normalize(text: &str) -> String {
    text.chars()
        .filter(|c| !matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{00AD}' | '\u{2060}' | '\u{200E}' | '\u{200F}'))
        .nfc()
        .collect()
}
