//! Syllable tokens with positions, for a search index.
//!
//! Vietnamese writes one syllable per space-separated unit (*đất đai* is two tokens
//! making one word), so the tokenizer only splits; phrase queries over consecutive
//! positions put the multi-syllable words back together. Letters and digits stay
//! together (`A1`, `2024`); everything else separates, including `/`, `-` and `'`
//! (`123/QĐ-UBND` gives `123`, `qđ`, `ubnd`).

use unicode_normalization::char::is_combining_mark;

use crate::{canonical, fold};

/// One syllable (or number) of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The token in [`canonical`] form: NFC, one tone placement, lower case.
    pub text: String,
    /// The token [`fold`]ed: no diacritics, `đ` → `d`.
    pub folded: String,
    /// Byte offset of the token's first character in the input.
    pub start: usize,
    /// Byte offset just past the token's last character in the input.
    pub end: usize,
}

/// Characters that belong inside a token. Joiners that NFC normalisation removes are
/// kept inside so that `đất\u{200D}đai` is one token; the zero-width *space* splits.
fn in_token(c: char) -> bool {
    // Answered from ranges first: the Unicode tables behind `is_alphanumeric` cost
    // more than the rest of tokenizing, and Vietnamese text is ASCII letters plus the
    // Latin blocks below (all letters there but × and ÷).
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        '\0'..='\u{7F}' => false,
        '\u{C0}'..='\u{24F}' => c != '\u{D7}' && c != '\u{F7}',
        '\u{1E00}'..='\u{1EFF}' => true,
        _ => {
            c.is_alphanumeric()
                || is_combining_mark(c)
                || matches!(c, '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}')
        }
    }
}

/// Where the tokens of `text` are: byte ranges into `text` as given, in order, before
/// any normalisation. [`tokens`] is these with their two forms; a caller that sees the
/// same syllables again and again (an indexer) can keep those forms by the raw text.
/// A range may hold only joiners, which [`tokens`] then skips.
pub fn spans(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut rest = text.char_indices().peekable();
    std::iter::from_fn(move || {
        loop {
            let (start, c) = rest.next()?;
            if !in_token(c) {
                continue;
            }
            let mut end = start + c.len_utf8();
            while let Some(&(i, c)) = rest.peek() {
                if !in_token(c) {
                    break;
                }
                end = i + c.len_utf8();
                rest.next();
            }
            return Some((start, end));
        }
    })
}

/// The tokens of `text`, in order. Offsets refer to `text` as given, before any
/// normalisation, so a caller can highlight the original.
pub fn tokens(text: &str) -> impl Iterator<Item = Token> + '_ {
    spans(text).filter_map(move |(start, end)| {
        let text = canonical(&text[start..end]);
        if text.is_empty() {
            // Only joiners: nothing to index.
            return None;
        }
        Some(Token {
            folded: fold(&text),
            text,
            start,
            end,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        tokens(s).map(|t| t.text).collect()
    }

    #[test]
    fn splits_on_spaces_and_punctuation() {
        assert_eq!(
            texts("Quyết định số 123/QĐ-UBND, ngày 5.6.2024"),
            [
                "quyết", "định", "số", "123", "qđ", "ubnd", "ngày", "5", "6", "2024"
            ]
        );
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let s = "Tỉnh  uỷ\u{00A0}Kon";
        let toks: Vec<Token> = tokens(s).collect();
        assert_eq!(toks.len(), 3);
        assert_eq!(&s[toks[1].start..toks[1].end], "uỷ");
        assert_eq!(toks[1].text, "ủy");
        assert_eq!(toks[1].folded, "uy");
    }

    #[test]
    fn decomposed_marks_stay_with_their_letter() {
        let s = "ho\u{0300}a bi\u{0300}nh";
        assert_eq!(texts(s), ["hòa", "bình"]);
        assert_eq!(tokens(s).last().map(|t| t.end), Some(s.len()));
    }

    #[test]
    fn letters_and_digits_stay_together() {
        assert_eq!(texts("phòng A1, tầng 3B"), ["phòng", "a1", "tầng", "3b"]);
    }

    #[test]
    fn the_fast_ranges_agree_with_the_unicode_tables() {
        for c in (0..=0x1EFF).filter_map(char::from_u32) {
            let slow = c.is_alphanumeric()
                || is_combining_mark(c)
                || matches!(c, '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}');
            assert_eq!(in_token(c), slow, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn empty_and_punctuation_only_text_has_no_tokens() {
        assert!(texts("").is_empty());
        assert!(texts(" ,.;\u{200B}\u{200D} ").is_empty());
    }
}
