//! Text-level normalisation: [`normalize`] (NFC and look-alike characters),
//! [`normalize_tone`] (plus one tone-mark placement), [`canonical`] (plus lower case,
//! the search form) and [`fold`] (no diacritics at all).
//!
//! Legacy 8-bit encodings are not handled here: decode them first with
//! [`crate::legacy`].

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::tone;

/// Canonical form of a piece of Vietnamese text: NFC, `ð`/`Ð` read as `đ`/`Đ`,
/// invisible characters (zero-width space and joiners, soft hyphen, word joiner, BOM)
/// removed and no-break spaces made ordinary spaces.
/// Case, diacritics and the tone-mark placement the writer chose are kept.
pub fn normalize(text: &str) -> String {
    // Removing characters before NFC, not after: a zero-width space between a letter
    // and a combining mark would otherwise keep them apart on the first pass and let
    // them compose on the second, and normalising twice must change nothing.
    text.chars()
        .filter_map(|c| match c {
            c if crate::token::is_invisible(c) => None,
            '\u{00A0}' | '\u{202F}' | '\u{2007}' => Some(' '),
            'ð' => Some('đ'),
            'Ð' => Some('Đ'),
            c => Some(c),
        })
        .nfc()
        .collect()
}

/// [`normalize`], then every Vietnamese syllable's tone mark moved to the vowel chosen
/// by the crate's single placement rule (see the crate docs, part 3): *hoà* and *hòa* both
/// become *hòa*, *Tỉnh uỷ* becomes *Tỉnh ủy*. Case is kept; words that are not
/// Vietnamese syllables are not touched.
pub fn normalize_tone(text: &str) -> String {
    let text = normalize(text);
    let mut out = String::with_capacity(text.len());
    let mut word_start = None;
    // Words are runs of letters; a combining mark left after NFC belongs to its letter.
    let is_word = |c: char| c.is_alphabetic() || is_combining_mark(c);
    for (i, c) in text.char_indices() {
        match (is_word(c), word_start) {
            (true, None) => word_start = Some(i),
            (false, Some(start)) => {
                push_word(&mut out, &text[start..i]);
                word_start = None;
                out.push(c);
            }
            (false, None) => out.push(c),
            (true, Some(_)) => {}
        }
    }
    if let Some(start) = word_start {
        push_word(&mut out, &text[start..]);
    }
    out
}

fn push_word(out: &mut String, word: &str) {
    match tone::retone(word) {
        Some(placed) => out.push_str(&placed),
        None => out.push_str(word),
    }
}

/// The form in which search compares text with diacritics (the *exact* field):
/// [`normalize_tone`] in lower case. Two spellings of the same words are equal here.
pub fn canonical(text: &str) -> String {
    normalize_tone(text).to_lowercase()
}

/// Lower-case text with every diacritic removed and `đ` read as `d`: the form in which
/// "dat dai", "ĐẤT ĐAI" and "đất đai" are all equal (the *folded* search field).
/// Tone placement does not matter here, so `fold(canonical(t)) == fold(t)`.
pub fn fold(text: &str) -> String {
    normalize(text)
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// One character [`fold`]ed: its base letter in lower case, `đ` read as `d` (for a
/// quick look at a word's first letter before folding it whole).
pub fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut base = None;
    unicode_normalization::char::decompose_canonical(c, |p| {
        base.get_or_insert(p);
    });
    match base.unwrap_or(c).to_lowercase().next().unwrap_or(c) {
        'đ' | 'ð' => 'd',
        b => b,
    }
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
        for c in "ĐẤT đai Ủy ư ǘ Q".chars() {
            assert_eq!(Some(fold_char(c)), fold(&c.to_string()).chars().next());
        }
    }

    #[test]
    fn normalizing_twice_changes_nothing() {
        for s in ["Tỉnh uỷ", "ðất", "a\u{0301}", "Quyết định"] {
            assert_eq!(normalize(&normalize(s)), normalize(s));
        }
    }

    #[test]
    fn a_zero_width_space_before_a_combining_mark_does_not_break_idempotence() {
        // Found by tests/properties.rs: "y", ZWSP, grave became "y\u{300}", then "ỳ".
        assert_eq!(normalize("y\u{200B}\u{0300}"), "ỳ");
    }

    #[test]
    fn normalize_keeps_the_writers_tone_placement() {
        assert_eq!(normalize("Tỉnh uỷ"), "Tỉnh uỷ");
    }

    #[test]
    fn both_spellings_of_tinh_uy_have_one_canonical_form() {
        assert_eq!(normalize_tone("Tỉnh uỷ"), "Tỉnh ủy");
        assert_eq!(canonical("Tỉnh uỷ"), canonical("Tỉnh ủy"));
        assert_eq!(canonical("TỈNH UỶ Kon Tum"), "tỉnh ủy kon tum");
        assert_eq!(canonical("ho\u{0300}a bi\u{0300}nh"), "hòa bình");
    }

    #[test]
    fn punctuation_and_foreign_words_survive_tone_placement() {
        assert_eq!(normalize_tone("hoà, café; (thuỷ)"), "hòa, café; (thủy)");
    }
}
