//! Realistic Vietnamese text for the search benchmark: a syllable vocabulary built from
//! Vietnamese phonotactics (onsets, rhymes, the six tones placed by the traditional
//! rule) mixed with a curated list of real words of administrative text, words of one
//! to three syllables with a Zipf frequency skew, and a deterministic generator (the
//! generators' splitmix64, `phoihop::case::bench::Rng`, seeded per document, so any
//! document can be made again on its own).
//!
//! Every syllable is known by its canonical form (`vntext::canonical`: one tone
//! placement, lower case); a document written in the *modern* placement (*hoà*,
//! *thuỷ*, *Tỉnh uỷ*) spells the same syllables differently, so a search that finds
//! *hòa* but not *hoà* loses documents the benchmark can count.

use std::collections::HashMap;

use phoihop::case::bench::{Rng, Zipf};

/// The vowels with their six tones: ngang, huyền, sắc, hỏi, ngã, nặng.
const VOWELS: [[char; 6]; 12] = [
    ['a', 'à', 'á', 'ả', 'ã', 'ạ'],
    ['ă', 'ằ', 'ắ', 'ẳ', 'ẵ', 'ặ'],
    ['â', 'ầ', 'ấ', 'ẩ', 'ẫ', 'ậ'],
    ['e', 'è', 'é', 'ẻ', 'ẽ', 'ẹ'],
    ['ê', 'ề', 'ế', 'ể', 'ễ', 'ệ'],
    ['i', 'ì', 'í', 'ỉ', 'ĩ', 'ị'],
    ['o', 'ò', 'ó', 'ỏ', 'õ', 'ọ'],
    ['ô', 'ồ', 'ố', 'ổ', 'ỗ', 'ộ'],
    ['ơ', 'ờ', 'ớ', 'ở', 'ỡ', 'ợ'],
    ['u', 'ù', 'ú', 'ủ', 'ũ', 'ụ'],
    ['ư', 'ừ', 'ứ', 'ử', 'ữ', 'ự'],
    ['y', 'ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ'],
];

/// (row in `VOWELS`, tone) of a lower-case vowel.
fn vowel(c: char) -> Option<(usize, usize)> {
    VOWELS
        .iter()
        .enumerate()
        .find_map(|(row, tones)| tones.iter().position(|&t| t == c).map(|tone| (row, tone)))
}

fn with_tone(c: char, tone: usize) -> char {
    vowel(c).map_or(c, |(row, _)| VOWELS[row][tone])
}

fn base(c: char) -> char {
    with_tone(c, 0)
}

/// NFD by hand (base letter, then marks in canonical order), for lower-case text.
pub fn nfd(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for c in text.chars() {
        let Some((row, tone)) = vowel(c) else {
            out.push(c);
            continue;
        };
        let (letter, quality) = match VOWELS[row][0] {
            'ă' => ('a', Some('\u{306}')),
            'â' => ('a', Some('\u{302}')),
            'ê' => ('e', Some('\u{302}')),
            'ô' => ('o', Some('\u{302}')),
            'ơ' => ('o', Some('\u{31B}')),
            'ư' => ('u', Some('\u{31B}')),
            l => (l, None),
        };
        let tone_mark = ['\0', '\u{300}', '\u{301}', '\u{309}', '\u{303}', '\u{323}'][tone];
        out.push(letter);
        // Canonical order: horn (216), dot below (220), then the others (230).
        if quality == Some('\u{31B}') {
            out.push('\u{31B}');
        }
        if tone == 5 {
            out.push(tone_mark);
        }
        if let Some(q) = quality.filter(|&q| q != '\u{31B}') {
            out.push(q);
        }
        if tone != 0 && tone != 5 {
            out.push(tone_mark);
        }
    }
    out
}

/// Where the vowels of a lower-case syllable start, with `qu` and `gi` counted as
/// consonants.
fn vowel_span(s: &[char]) -> (usize, usize) {
    let mut start = s
        .iter()
        .position(|&c| vowel(c).is_some())
        .unwrap_or(s.len());
    let is_vowel = |i: usize| s.get(i).is_some_and(|&c| vowel(c).is_some());
    let glide = |prev: char, letter: char| {
        start > 0 && s[start - 1] == prev && base(s[start]) == letter && is_vowel(start + 1)
    };
    if glide('q', 'u') || glide('g', 'i') {
        start += 1;
    }
    let mut end = start;
    while is_vowel(end) {
        end += 1;
    }
    (start, end)
}

/// The syllable with its tone on the vowel the *modern* rule picks, when that differs
/// from the traditional one: open `oa`, `oe`, `uy` (*hòa* → *hoà*, *thủy* → *thuỷ*).
pub fn modern(syllable: &str) -> Option<String> {
    let mut s: Vec<char> = syllable.chars().collect();
    let (start, end) = vowel_span(&s);
    if end != s.len() || end - start != 2 {
        return None;
    }
    let pair = (base(s[start]), base(s[start + 1]));
    if !matches!(pair, ('o', 'a') | ('o', 'e') | ('u', 'y')) {
        return None;
    }
    let (_, tone) = vowel(s[start])?;
    if tone == 0 {
        return None;
    }
    s[start] = base(s[start]);
    s[start + 1] = with_tone(s[start + 1], tone);
    Some(s.into_iter().collect())
}

/// A generated syllable with its tone placed by the traditional rule (the one
/// `vntext::canonical` keeps): on the vowel with a quality mark (the later one in
/// *ươ*), else the middle of three, else the second of two before a final consonant,
/// else the first.
fn place(onset: &str, rhyme: &str, tone: usize) -> String {
    let text: Vec<char> = format!("{onset}{rhyme}").chars().collect();
    let (start, end) = vowel_span(&text);
    let vowels = &text[start..end];
    let quality = vowels
        .iter()
        .rposition(|c| matches!(c, 'ă' | 'â' | 'ê' | 'ô' | 'ơ' | 'ư'));
    let at = match (quality, vowels.len(), end < text.len()) {
        (Some(q), _, _) => q,
        (None, 3, _) => 1,
        (None, 2, true) => 1,
        _ => 0,
    };
    let mut out = text.clone();
    if let Some(c) = out.get_mut(start + at) {
        *c = with_tone(*c, tone);
    }
    out.into_iter().collect()
}

const ONSETS: &[&str] = &[
    "", "b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
    "nh", "ph", "qu", "r", "s", "t", "th", "tr", "v", "x",
];

const RHYMES: &[&str] = &[
    "a", "ai", "ao", "au", "ay", "an", "ang", "anh", "am", "at", "ac", "ach", "ap", "ăn", "ăng",
    "ăm", "ăt", "ăc", "ăp", "âu", "ây", "ân", "âng", "âm", "ât", "âc", "âp", "e", "eo", "en",
    "eng", "em", "et", "ec", "ep", "ê", "êu", "ên", "ênh", "êm", "êt", "êch", "êp", "i", "ia",
    "iu", "in", "inh", "im", "it", "ich", "ip", "iêu", "iên", "iêng", "iêm", "iêt", "iêc", "iêp",
    "o", "oi", "on", "ong", "om", "ot", "oc", "op", "oa", "oai", "oay", "oan", "oang", "oanh",
    "oat", "oac", "oach", "oăn", "oăt", "oe", "oen", "oet", "ô", "ôi", "ôn", "ông", "ôm", "ôt",
    "ôc", "ôp", "ơ", "ơi", "ơn", "ơm", "ơt", "ơp", "u", "ua", "ui", "un", "ung", "um", "ut", "uc",
    "up", "uân", "uât", "uy", "uyên", "uyêt", "uynh", "uyt", "uôi", "uôn", "uông", "uôm", "uôt",
    "uôc", "ư", "ưa", "ưi", "ưu", "ưng", "ưt", "ưc", "ươi", "ươu", "ươn", "ương", "ươm", "ươt",
    "ươc", "ươp", "y", "yêu", "yên", "yêt",
];

/// Whether `onset` + `rhyme` is spelled as Vietnamese spells (the c/k/q and g/gh
/// rules, no rounded rhyme after a labial or `qu`, `y…` rhymes alone or after `qu`).
fn fits(onset: &str, rhyme: &str) -> bool {
    let first = rhyme.chars().next().unwrap_or(' ');
    let front = matches!(first, 'i' | 'e' | 'ê' | 'y');
    let rounded = rhyme.starts_with("oa")
        || rhyme.starts_with("oă")
        || rhyme.starts_with("oe")
        || rhyme.starts_with("uy")
        || rhyme.starts_with("uâ");
    match onset {
        "c" | "g" | "ng" => !front,
        "k" | "gh" | "ngh" => front && !rhyme.starts_with('y'),
        "qu" => !rounded && !matches!(first, 'o' | 'u' | 'ư' | 'i' | 'e'),
        "gi" => !matches!(first, 'i' | 'y') && !rounded,
        "b" | "m" | "ph" | "v" if rounded => false,
        _ if rhyme.starts_with('y') && rhyme.len() > 1 => onset.is_empty(),
        _ if rhyme == "y" => matches!(onset, "h" | "k" | "l" | "m" | "s" | "t" | "v"),
        _ if rhyme.starts_with("iê") => !onset.is_empty(),
        _ => true,
    }
}

fn stopped(rhyme: &str) -> bool {
    ["p", "t", "c", "ch"].iter().any(|c| rhyme.ends_with(c))
}

/// Real words of the administrative text the product holds, most frequent first
/// (traditional tone placement; capitals kept as written).
const CURATED: &str = include_str!("vocab_words.txt");

/// One word: its syllables (ids into [`Vocab::syllables`]) and which are capitalised.
pub struct Word {
    pub syllables: Vec<u32>,
    pub caps: u8,
}

pub struct Vocab {
    /// Canonical (traditional, lower-case) form of each syllable.
    pub syllables: Vec<String>,
    /// Its modern spelling, when it differs.
    pub modern: Vec<Option<String>>,
    /// Words, most frequent first.
    pub words: Vec<Word>,
    pub zipf: Zipf,
    /// How many of the first words are curated.
    pub curated: usize,
}

impl Vocab {
    /// The vocabulary of `seed`: the curated words, then `generated` words of one to
    /// three syllables made of phonotactic syllables; Zipf with exponent `s` over all.
    pub fn new(seed: u64, generated: usize, s: f64) -> Vocab {
        let mut v = Vocab {
            syllables: Vec::new(),
            modern: Vec::new(),
            words: Vec::new(),
            zipf: Zipf::new(0, s),
            curated: 0,
        };
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut seen: HashMap<Vec<u32>, ()> = HashMap::new();
        for line in CURATED.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            for word in line.split(',').map(str::trim).filter(|w| !w.is_empty()) {
                let mut syllables = Vec::new();
                let mut caps = 0u8;
                for (i, syl) in word.split(' ').enumerate() {
                    if syl.chars().next().is_some_and(char::is_uppercase) {
                        caps |= 1 << i;
                    }
                    syllables.push(v.intern(&mut ids, syl));
                }
                if seen.insert(syllables.clone(), ()).is_none() {
                    v.words.push(Word { syllables, caps });
                }
            }
        }
        v.curated = v.words.len();
        // Phonotactic syllables, a random 4,000 of them, used with a skew of their own.
        let mut rng = Rng::new(seed);
        let mut pool = Vec::new();
        for onset in ONSETS {
            for rhyme in RHYMES {
                if !fits(onset, rhyme) {
                    continue;
                }
                let tones: &[usize] = if stopped(rhyme) {
                    &[2, 5]
                } else {
                    &[0, 1, 2, 3, 4, 5]
                };
                for &tone in tones {
                    pool.push(place(onset, rhyme, tone));
                }
            }
        }
        for i in (1..pool.len()).rev() {
            pool.swap(i, rng.below(i + 1));
        }
        pool.truncate(4_000);
        let pool: Vec<u32> = pool.iter().map(|s| v.intern(&mut ids, s)).collect();
        let by_syllable = Zipf::new(pool.len(), 0.75);
        while v.words.len() < v.curated + generated {
            let n = match rng.below(100) {
                0..25 => 1,
                25..88 => 2,
                _ => 3,
            };
            let syllables: Vec<u32> = (0..n).map(|_| pool[by_syllable.sample(&mut rng)]).collect();
            if seen.insert(syllables.clone(), ()).is_none() {
                v.words.push(Word { syllables, caps: 0 });
            }
        }
        v.zipf = Zipf::new(v.words.len(), s);
        v
    }

    fn intern(&mut self, ids: &mut HashMap<String, u32>, written: &str) -> u32 {
        let canonical = vntext::canonical(written);
        if let Some(&id) = ids.get(&canonical) {
            return id;
        }
        let id = self.syllables.len() as u32;
        self.modern.push(modern(&canonical));
        self.syllables.push(canonical.clone());
        ids.insert(canonical, id);
        id
    }

    /// The syllable as a writer of `style` spells it.
    pub fn spell(&self, id: u32, modern: bool) -> &str {
        let i = id as usize;
        match &self.modern[i] {
            Some(m) if modern => m,
            _ => &self.syllables[i],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placement_is_vntexts_and_modern_differs_only_where_it_should() {
        for (onset, rhyme, tone, want) in [
            ("h", "oa", 1, "hòa"),
            ("th", "uy", 3, "thủy"),
            ("h", "oan", 1, "hoàn"),
            ("ng", "ươi", 1, "người"),
            ("qu", "y", 2, "quý"),
            ("gi", "a", 2, "giá"),
            ("t", "iên", 2, "tiến"),
        ] {
            let placed = place(onset, rhyme, tone);
            assert_eq!(placed, want);
            assert_eq!(vntext::canonical(&placed), placed);
        }
        assert_eq!(modern("hòa").as_deref(), Some("hoà"));
        assert_eq!(modern("khỏe").as_deref(), Some("khoẻ"));
        assert_eq!(modern("ủy").as_deref(), Some("uỷ"));
        assert_eq!(modern("hoàn"), None);
        assert_eq!(modern("quý"), None);
        assert_eq!(vntext::canonical("hoà"), "hòa");
        assert_eq!(vntext::canonical(&nfd("đất đai")), "đất đai");
        assert_eq!(vntext::canonical(&nfd("người ở")), "người ở");
    }

    #[test]
    fn vocabulary_is_deterministic() {
        let a = Vocab::new(7, 2_000, 1.0);
        let b = Vocab::new(7, 2_000, 1.0);
        assert_eq!(a.syllables, b.syllables);
        assert!(a.modern.iter().filter(|m| m.is_some()).count() > 20);
    }
}
