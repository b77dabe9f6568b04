//! Vietnamese text: Unicode normalisation and diacritic folding.
//!
//! Officials paste text from many keyboards: NFD from one, NFC from another, an
//! Icelandic `ð` where `đ` was meant, zero-width characters from web pages. Everything
//! that compares, sorts or searches Vietnamese text goes through [`normalize`] first,
//! and through [`fold`] when diacritics must not matter ("dat dai" finds *đất đai*).
//!
//! Legacy 8-bit encodings and the syllable tokenizer belong here too; they arrive with
//! the search work.

#![forbid(unsafe_code)]

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Canonical form of a piece of Vietnamese text: NFC, `ð`/`Ð` read as `đ`/`Đ`,
/// zero-width characters removed and no-break spaces made ordinary spaces.
/// Case and diacritics are kept.
pub fn normalize(text: &str) -> String {
    text.nfc()
        .filter_map(|c| match c {
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => None,
            '\u{00A0}' | '\u{202F}' | '\u{2007}' => Some(' '),
            'ð' => Some('đ'),
            'Ð' => Some('Đ'),
            c => Some(c),
        })
        .collect()
}

/// Lower-case text with every diacritic removed and `đ` read as `d`: the form in which
/// "dat dai", "ĐẤT ĐAI" and "đất đai" are all equal.
pub fn fold(text: &str) -> String {
    normalize(text)
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// True when `haystack` contains `needle` once both are folded.
pub fn folded_contains(haystack: &str, needle: &str) -> bool {
    fold(haystack).contains(&fold(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfd_input_becomes_nfc() {
        let nfd = "đa\u{0302}\u{0301}t"; // "đất" typed as base letters + combining marks
        assert_eq!(normalize(nfd), "đất");
    }

    #[test]
    fn eth_is_read_as_d_with_stroke() {
        assert_eq!(normalize("ðất Ðai"), "đất Đai");
    }

    #[test]
    fn invisible_characters_are_removed() {
        assert_eq!(
            normalize("Tỉnh\u{200B} ủy\u{00A0}Kon Tum"),
            "Tỉnh ủy Kon Tum"
        );
    }

    #[test]
    fn folding_ignores_case_and_diacritics() {
        assert_eq!(fold("ĐẤT ĐAI"), "dat dai");
        assert_eq!(fold("đất đai"), "dat dai");
        assert_eq!(fold("Sở Y tế"), "so y te");
        assert!(folded_contains("Sở Khoa học và Công nghệ", "khoa hoc"));
    }

    #[test]
    fn normalizing_twice_changes_nothing() {
        for s in ["Tỉnh uỷ", "ðất", "a\u{0301}", "Quyết định"] {
            assert_eq!(normalize(&normalize(s)), normalize(s));
        }
    }
}
