//! Windows-1252, the code page Bijoy files are stored in: decoding its bytes, and repairing
//! text whose bytes were decoded as Latin-1.

/// The character that a C1 control stands for when cp1252 bytes were mis-decoded as
/// Latin-1 (0x86 → U+0086 instead of †).
pub(super) fn c1_to_cp1252(c: char) -> char {
    match c {
        '\u{80}'..='\u{9F}' => CP1252_HIGH[(c as usize) - 0x80],
        _ => c,
    }
}

/// cp1252 bytes 0x80–0x9F. The five undefined positions map to the C1 control of the same
/// number, as the WHATWG decoder does.
pub(super) const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}',
    '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// Decodes Windows-1252 bytes (how Bijoy files are stored). Never fails.
pub fn decode_cp1252(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => CP1252_HIGH[usize::from(b - 0x80)],
            _ => char::from(b),
        })
        .collect()
}
