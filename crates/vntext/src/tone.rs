//! Vietnamese syllables: parsing a word into initial, vowel nucleus and final, and
//! putting its tone mark on the one vowel chosen by a single rule.
//!
//! The same syllable is typed in several ways: *hoà* and *hòa*, *thuỷ* and *thủy*,
//! even *baì* for *bài*. All of them carry the same letters and the same tone; only the
//! vowel holding the mark differs. [`retone`] moves the mark to its canonical place so
//! search sees one spelling.
//!
//! # The rule (traditional placement, *kiểu cũ*)
//!
//! After the initial consonant is removed (*qu* and *gi* count as consonants when a
//! vowel follows, so *quý* and *giữ* keep the mark where it is, and *gìn* is *g* + *i*):
//!
//! 1. a vowel with a quality mark (ă â ê ô ơ ư) takes the tone; in *ươ* it is *ơ*;
//! 2. otherwise a three-vowel nucleus takes it on the middle vowel (*ngoài*, *khuỷu*);
//! 3. otherwise a two-vowel nucleus takes it on the second vowel when a final consonant
//!    follows (*hoàn*, *huỳnh*) and on the **first** when the syllable is open
//!    (*hòa*, *khỏe*, *thủy*, *bài*, *múa*);
//! 4. a single vowel takes it.
//!
//! Rule 3 is the "old style" for *oa, oe, uy*: it is what Unikey types by default and
//! what most provincial documents already use (*Tỉnh ủy*, *hòa bình*), so normalising
//! changes the fewest existing texts. The "new style" (*hoà*, *thuỷ*) maps to it.
//!
//! Words that are not one well-formed Vietnamese syllable (*café*, *résumé*, words with
//! two tone marks, foreign letters) are left exactly as they are.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{compose, decompose_canonical};

/// The five marked tones, as combining characters; the level tone has no mark.
const TONE_MARKS: [char; 5] = ['\u{0301}', '\u{0300}', '\u{0309}', '\u{0303}', '\u{0323}'];

/// Letters that are vowels in Vietnamese spelling, with their quality marks.
const VOWELS: &str = "aăâeêioôơuưy";
/// Vowels carrying a quality mark: they attract the tone (rule 1).
const MARKED_VOWELS: &str = "ăâêôơư";

/// Initial consonants, longest first so that *ngh* wins over *ng* over *n*.
const INITIALS: [&str; 27] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
];

const FINALS: [&str; 9] = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t"];

/// Vowel nuclei of standard Vietnamese syllables (without tone).
const NUCLEI: [&str; 55] = [
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây",
    "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi", "oo", "ua", "uâ", "uê", "ui",
    "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê", "iêu", "oai", "oao", "oay", "oeo", "uây",
    "uôi", "uya", "uyê", "uyu", "ươi", "ươu", "yêu",
];

/// One letter split into its base (keeping quality marks and case) and its tone mark.
#[derive(Clone, Copy)]
struct Letter {
    base: char,
    tone: Option<char>,
}

/// Splits `c` into base letter and tone mark, or `None` when the character carries
/// more than one tone mark.
fn split_letter(c: char) -> Option<Letter> {
    let mut parts = Vec::with_capacity(3);
    decompose_canonical(c, |p| parts.push(p));
    let mut tone = None;
    let mut base: Option<char> = None;
    for p in parts {
        if TONE_MARKS.contains(&p) {
            if tone.replace(p).is_some() {
                return None;
            }
        } else {
            base = Some(match base {
                None => p,
                Some(b) => compose(b, p)?,
            });
        }
    }
    Some(Letter { base: base?, tone })
}

/// `base` carrying `tone` as one precomposed character. Not `compose(base, tone)`:
/// *ậ* decomposes as *ạ* + circumflex (dot below sorts first), so composing *â* with a
/// dot below directly finds nothing; NFC of the pair reorders the marks first.
fn with_tone(base: char, tone: char) -> Option<char> {
    let mut composed = [base, tone].into_iter().nfc();
    let c = composed.next()?;
    composed.next().is_none().then_some(c)
}

/// Where the pieces of a syllable are, in letters.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Syllable {
    /// Index of the first vowel of the nucleus.
    pub(crate) nucleus_start: usize,
    /// Number of vowels in the nucleus.
    pub(crate) nucleus_len: usize,
    /// True when a final consonant follows the nucleus.
    pub(crate) has_final: bool,
}

/// Parses lower-case, toneless letters as one Vietnamese syllable.
pub(crate) fn parse(letters: &[char]) -> Option<Syllable> {
    let word: String = letters.iter().collect();
    let is_vowel = |c: char| VOWELS.contains(c);
    let mut initial = INITIALS
        .iter()
        .find(|i| word.starts_with(*i))
        .map_or(0, |i| i.chars().count());
    // "gi" and "qu" are consonants only when another vowel follows (gìn = g + i).
    if initial == 2
        && (word.starts_with("gi") || word.starts_with("qu"))
        && !letters.get(2).is_some_and(|c| is_vowel(*c))
    {
        if word.starts_with("qu") {
            return None;
        }
        initial = 1;
    }
    let nucleus_len = letters[initial..]
        .iter()
        .take_while(|c| is_vowel(**c))
        .count();
    let nucleus: String = letters[initial..initial + nucleus_len].iter().collect();
    let last: String = letters[initial + nucleus_len..].iter().collect();
    if !NUCLEI.contains(&nucleus.as_str()) || !FINALS.contains(&last.as_str()) {
        return None;
    }
    Some(Syllable {
        nucleus_start: initial,
        nucleus_len,
        has_final: !last.is_empty(),
    })
}

/// Which vowel of the nucleus takes the tone mark: see the rule in the module docs.
fn tone_position(nucleus: &[char], has_final: bool) -> usize {
    if let Some(i) = nucleus.iter().rposition(|c| MARKED_VOWELS.contains(*c)) {
        return i;
    }
    match nucleus.len() {
        3 => 1,
        2 if has_final => 1,
        _ => 0,
    }
}

/// `c` as its lower-case base letter (quality marks kept) and its tone mark, or `None`
/// when it is not one letter with at most one tone mark.
pub(crate) fn base_and_tone(c: char) -> Option<(char, Option<char>)> {
    let l = split_letter(c)?;
    let mut low = l.base.to_lowercase();
    let base = low.next()?;
    low.next().is_none().then_some((base, l.tone))
}

/// True when `word` (any case, any tone placement) is one well-formed syllable.
pub(crate) fn is_syllable(word: &str) -> bool {
    let mut letters = Vec::new();
    for c in word.chars() {
        match split_letter(c) {
            Some(l) => letters.extend(l.base.to_lowercase()),
            None => return false,
        }
    }
    letters.len() <= 7 && parse(&letters).is_some()
}

/// `word` (NFC, letters only) with its tone mark on the canonical vowel, or `None`
/// when the word is not a syllable this module knows how to place, or needs no change.
pub(crate) fn retone(word: &str) -> Option<String> {
    let letters: Vec<Letter> = word.chars().map(split_letter).collect::<Option<_>>()?;
    let mut tones = letters.iter().filter_map(|l| l.tone);
    let tone = tones.next()?;
    if tones.next().is_some() {
        return None;
    }
    let mut lower = Vec::with_capacity(letters.len());
    for l in &letters {
        let mut low = l.base.to_lowercase();
        lower.push(low.next()?);
        if low.next().is_some() {
            return None;
        }
    }
    let syllable = parse(&lower)?;
    let start = syllable.nucleus_start;
    let nucleus = &lower[start..start + syllable.nucleus_len];
    let target = start + tone_position(nucleus, syllable.has_final);
    if letters[target].tone.is_some() {
        return None;
    }
    letters
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == target {
                with_tone(l.base, tone)
            } else {
                Some(l.base)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(word: &str) -> String {
        retone(word).unwrap_or_else(|| word.to_string())
    }

    #[test]
    fn open_oa_oe_uy_take_the_mark_on_the_first_vowel() {
        assert_eq!(placed("hoà"), "hòa");
        assert_eq!(placed("khoẻ"), "khỏe");
        assert_eq!(placed("uỷ"), "ủy");
        assert_eq!(placed("Thuỷ"), "Thủy");
    }

    #[test]
    fn a_final_consonant_moves_the_mark_to_the_second_vowel() {
        assert_eq!(placed("hòan"), "hoàn");
        assert_eq!(placed("hùynh"), "huỳnh");
    }

    #[test]
    fn qu_and_gi_keep_their_vowel() {
        for w in ["quý", "quỳnh", "gìn", "giữ", "giặt", "quốc", "gì"] {
            assert_eq!(placed(w), w);
        }
        assert_eq!(placed("qúy"), "quý");
    }

    #[test]
    fn marked_vowels_and_triphthongs_attract_the_tone() {
        assert_eq!(placed("rựơu"), "rượu");
        assert_eq!(placed("ngòai"), "ngoài");
        assert_eq!(placed("baì"), "bài");
        assert_eq!(placed("khủyu"), "khuỷu");
        // Regression: ậ is ạ + circumflex canonically, so a plain compose(â, dot) failed.
        assert_eq!(placed("châụ"), "chậu");
        assert_eq!(placed("nghịêp"), "nghiệp");
    }

    #[test]
    fn non_vietnamese_words_are_left_alone() {
        for w in ["café", "résumé", "dàì", "naïve", "Zürich"] {
            assert_eq!(retone(w), None, "{w}");
        }
    }
}
