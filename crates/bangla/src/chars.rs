//! Character classes of the Bengali block used throughout the crate.

/// Hasanta (virama), U+09CD.
pub const HASANTA: char = '\u{09CD}';
/// Nukta, U+09BC.
pub const NUKTA: char = '\u{09BC}';
/// Zero-width joiner.
pub const ZWJ: char = '\u{200D}';
/// Zero-width non-joiner.
pub const ZWNJ: char = '\u{200C}';
/// Chandrabindu, U+0981.
pub const CHANDRABINDU: char = '\u{0981}';
/// The dari (full stop), U+0964.
pub const DARI: char = '\u{0964}';

/// A Bengali consonant letter (ক–হ, the precomposed nukta letters, ৎ is not included:
/// it never takes a hasanta or vowel sign).
pub fn is_consonant(c: char) -> bool {
    matches!(c, '\u{0995}'..='\u{09A8}' | '\u{09AA}'..='\u{09B0}' | '\u{09B2}' | '\u{09B6}'..='\u{09B9}' | '\u{09DC}' | '\u{09DD}' | '\u{09DF}' | '\u{09F0}' | '\u{09F1}')
}

/// An independent Bengali vowel letter (অ–ঔ, ৠ, ৡ, ঌ).
pub fn is_vowel_letter(c: char) -> bool {
    matches!(
        c,
        '\u{0985}'
            ..='\u{098C}'
                | '\u{098F}'
                | '\u{0990}'
                | '\u{0993}'
                | '\u{0994}'
                | '\u{09E0}'
                | '\u{09E1}'
    )
}

/// A dependent vowel sign (া ি ী ু ূ ৃ ৄ ে ৈ ো ৌ ৗ ৢ ৣ).
pub fn is_vowel_sign(c: char) -> bool {
    matches!(
        c,
        '\u{09BE}'
            ..='\u{09C4}'
                | '\u{09C7}'
                | '\u{09C8}'
                | '\u{09CB}'
                | '\u{09CC}'
                | '\u{09D7}'
                | '\u{09E2}'
                | '\u{09E3}'
    )
}

/// A vowel sign written to the left of its consonant (ি ে ৈ).
pub fn is_pre_base_sign(c: char) -> bool {
    matches!(c, '\u{09BF}' | '\u{09C7}' | '\u{09C8}')
}

/// Any character of the Bengali Unicode block.
pub fn is_bengali(c: char) -> bool {
    ('\u{0980}'..='\u{09FF}').contains(&c)
}

/// A Bengali digit ০–৯.
pub fn is_bengali_digit(c: char) -> bool {
    ('\u{09E6}'..='\u{09EF}').contains(&c)
}

/// A Bengali letter or mark (not a digit, not the currency and fraction signs).
pub fn is_bengali_letter_or_mark(c: char) -> bool {
    is_bengali(c) && !is_bengali_digit(c) && !matches!(c, '\u{09F2}'..='\u{09FB}')
}
