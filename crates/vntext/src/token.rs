//! Syllable tokens with positions, for a search index.
//!
//! Vietnamese writes one syllable per space-separated unit (*đất đai* is two tokens
//! making one word), so the tokenizer only splits; phrase queries over consecutive
//! positions put the multi-syllable words back together. Letters and digits stay
//! together (`A1`, `2024`); everything else separates, including `/`, `-` and `'`
//! (`123/QĐ-UBND` gives `123`, `qđ`, `ubnd`). Invisible characters (zero-width
//! space, soft hyphen, word joiner, zero-width joiners, BOM) are part of the run they
//! stand in and vanish from its forms: they never split a word. A run that is then
//! several syllables with no space between them (*phản\u{00AD}ánh*) gives each
//! syllable (see `segment.rs`).

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

/// The invisible characters copying leaves inside words: they vanish, never split.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{00AD}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Characters that belong inside a token: letters, digits, combining marks, and the
/// invisible characters (which [`normalize`](crate::normalize) then removes).
fn in_token(c: char) -> bool {
    // Answered from ranges first: the Unicode tables behind `is_alphanumeric` cost
    // more than the rest of tokenizing, and Vietnamese text is ASCII letters plus the
    // Latin blocks below (all letters there but × and ÷).
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        '\0'..='\u{7F}' => false,
        '\u{C0}'..='\u{24F}' => c != '\u{D7}' && c != '\u{F7}',
        '\u{1E00}'..='\u{1EFF}' => true,
        _ => c.is_alphanumeric() || is_combining_mark(c) || is_invisible(c),
    }
}

/// Where the tokens of `text` are: byte ranges into `text` as given, in order, before
/// any normalisation. [`tokens`] is these with their two forms; a caller that sees the
/// same syllables again and again (an indexer) can keep those forms by the raw text.
/// A range may hold only invisible characters, which [`tokens`] then skips, or several
/// syllables that lost their spaces, which [`tokens`] gives apart.
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
    spans(text).flat_map(move |(start, end)| syllables(&text[start..end], start))
}

/// The syllables of one span `raw` found at byte `offset`: none when it holds only
/// invisible characters, one when it is a syllable (or a number, a code, a foreign
/// word), several when syllables lost their spaces.
fn syllables(raw: &str, offset: usize) -> Vec<Token> {
    let text = canonical(raw);
    if text.is_empty() {
        return Vec::new();
    }
    let whole = |text: String| Token {
        folded: fold(&text),
        text,
        start: offset,
        end: offset + raw.len(),
    };
    let Some(lengths) = crate::segment::cut(&text) else {
        return vec![whole(text)];
    };
    // Where each letter of `raw` starts: a letter is a character that is neither
    // invisible nor a combining mark (those belong to the letter before). NFC gives one
    // character per letter, so letter i of `raw` is character i of `text`.
    let letters: Vec<usize> = raw
        .char_indices()
        .filter(|(_, c)| !is_invisible(*c) && !is_combining_mark(*c))
        .map(|(i, _)| i)
        .collect();
    let chars: Vec<char> = text.chars().collect();
    if letters.len() != chars.len() {
        return vec![whole(text)];
    }
    let mut out = Vec::with_capacity(lengths.len());
    let mut at = 0;
    for len in lengths {
        let piece: String = chars[at..at + len].iter().collect();
        let text = canonical(&piece);
        let start = if at == 0 { 0 } else { letters[at] };
        at += len;
        let end = letters.get(at).copied().unwrap_or(raw.len());
        out.push(Token {
            folded: fold(&text),
            text,
            start: offset + start,
            end: offset + end,
        });
    }
    out
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
            let slow = c.is_alphanumeric() || is_combining_mark(c) || is_invisible(c);
            assert_eq!(in_token(c), slow, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn empty_and_punctuation_only_text_has_no_tokens() {
        assert!(texts("").is_empty());
        assert!(texts(" ,.;\u{200B}\u{200D} ").is_empty());
        assert!(texts("\u{00AD}\u{FEFF} \u{2060}\u{200C}").is_empty());
    }

    #[test]
    fn invisible_characters_vanish_inside_a_word() {
        assert_eq!(texts("l\u{200B}ương y"), texts("lương y"));
        assert_eq!(texts("Tỉnh\u{00AD} \u{2060}ủy"), ["tỉnh", "ủy"]);
        assert_eq!(texts("\u{FEFF}đất\u{200D}đai"), ["đất", "đai"]);
    }

    #[test]
    fn syllables_joined_by_an_invisible_character_are_read_apart() {
        let s = "Phản\u{00AD}ánh của dân";
        let toks: Vec<Token> = tokens(s).collect();
        let texts: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["phản", "ánh", "của", "dân"]);
        assert_eq!(toks[1].folded, "anh");
        assert_eq!(&s[toks[0].start..toks[0].end], "Phản\u{00AD}");
        assert_eq!(&s[toks[1].start..toks[1].end], "ánh");
        // NFD and the other tone placement read the same way.
        assert_eq!(
            texts_of("pha\u{0309}n\u{200B}a\u{0301}nh hoà\u{2060}bình"),
            ["phản", "ánh", "hòa", "bình"]
        );
    }

    fn texts_of(s: &str) -> Vec<String> {
        tokens(s).map(|t| t.text).collect()
    }
}
