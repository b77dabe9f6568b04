//! Properties over many generated strings, with a small deterministic generator
//! instead of a property-testing crate: the crate stays dependency-light and failures
//! reproduce exactly (the failing input is printed).

use vntext::legacy::{Legacy, decode, detect};
use vntext::{canonical, fold, normalize, normalize_tone, tokens};

/// xorshift64*: enough randomness for test inputs, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const ALPHABET: &str = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯQGHYàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵÀÁỦỸỴ ,.-/'019ðÐ\u{0300}\u{0301}\u{0302}\u{0303}\u{0306}\u{0309}\u{031B}\u{0323}\u{200B}\u{200D}\u{00A0}\u{FEFF}éüçßΩж😀";

fn random_text(rng: &mut Rng) -> String {
    let chars: Vec<char> = ALPHABET.chars().collect();
    let len = rng.below(24);
    (0..len).map(|_| chars[rng.below(chars.len())]).collect()
}

fn random_bytes(rng: &mut Rng) -> Vec<u8> {
    let len = rng.below(40);
    (0..len).map(|_| rng.next() as u8).collect()
}

const CASES: usize = 20_000;

#[test]
fn normalising_twice_changes_nothing() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..CASES {
        let s = random_text(&mut rng);
        let n = normalize(&s);
        assert_eq!(normalize(&n), n, "normalize {s:?}");
        let t = normalize_tone(&s);
        assert_eq!(normalize_tone(&t), t, "normalize_tone {s:?}");
        let c = canonical(&s);
        assert_eq!(canonical(&c), c, "canonical {s:?}");
        assert_eq!(fold(&fold(&s)), fold(&s), "fold {s:?}");
    }
}

#[test]
fn folding_commutes_with_normalising() {
    let mut rng = Rng(0x0123_4567_89AB_CDEF);
    for _ in 0..CASES {
        let s = random_text(&mut rng);
        assert_eq!(fold(&normalize(&s)), fold(&s), "{s:?}");
        assert_eq!(fold(&canonical(&s)), fold(&s), "{s:?}");
    }
}

#[test]
fn tokens_lie_inside_the_text_in_order() {
    let mut rng = Rng(42);
    for _ in 0..CASES {
        let s = random_text(&mut rng);
        let mut last_end = 0;
        for t in tokens(&s) {
            assert!(
                last_end <= t.start && t.start < t.end && t.end <= s.len(),
                "{s:?}"
            );
            assert_eq!(t.text, canonical(&s[t.start..t.end]), "{s:?}");
            assert_eq!(t.folded, fold(&t.text), "{s:?}");
            last_end = t.end;
        }
    }
}

/// The invisible characters copying leaves in text: none of them may change a token.
const INVISIBLE: [char; 6] = [
    '\u{200B}', '\u{00AD}', '\u{2060}', '\u{200C}', '\u{200D}', '\u{FEFF}',
];

/// Syllables of administrative text in every spelling a document holds: capitals, the
/// other tone placement, NFD, and some that lost their space (the two forms of a run
/// must read alike too).
const WORDS: [&str; 24] = [
    "lương",
    "y",
    "Phản",
    "ánh",
    "TỈNH",
    "uỷ",
    "hoà",
    "bình",
    "đất",
    "đai",
    "quyết",
    "định",
    "nghị",
    "khuỷu",
    "gì",
    "Quốc",
    "ngư\u{0301}ơi",
    "bán",
    "hàng",
    "tiềnlương",
    "UBND",
    "2026",
    "café",
    "A1",
];

fn random_words(rng: &mut Rng) -> String {
    let n = 1 + rng.below(6);
    let words: Vec<&str> = (0..n).map(|_| WORDS[rng.below(WORDS.len())]).collect();
    words.join(if rng.below(4) == 0 { ", " } else { " " })
}

/// What the index and a query see of a text: each token's two forms, in order.
fn analysed(s: &str) -> Vec<(String, String)> {
    tokens(s).map(|t| (t.text, t.folded)).collect()
}

/// `s` with `c` inserted before its character `at`.
fn inserted(s: &str, at: usize, c: char) -> String {
    let byte = s.char_indices().nth(at).map_or(s.len(), |(i, _)| i);
    let mut out = s.to_owned();
    out.insert(byte, c);
    out
}

#[test]
fn an_invisible_character_anywhere_changes_no_token() {
    let mut rng = Rng(0x5EED_1AB5);
    // Each round tries every position: a tenth of the usual count is 40,000 texts.
    for round in 0..CASES / 10 {
        let s = if round % 2 == 0 {
            random_words(&mut rng)
        } else {
            random_text(&mut rng)
        };
        let before = analysed(&s);
        let chars = s.chars().count();
        // Every position of short texts, with every character; a random one else.
        for at in 0..=chars {
            let c = INVISIBLE[rng.below(INVISIBLE.len())];
            let changed = inserted(&s, at, c);
            assert_eq!(analysed(&changed), before, "{c:?} at {at} of {s:?}");
        }
        // Several at once, of several kinds.
        let mut changed = s.clone();
        for _ in 0..3 {
            let at = rng.below(changed.chars().count() + 1);
            changed = inserted(&changed, at, INVISIBLE[rng.below(INVISIBLE.len())]);
        }
        assert_eq!(analysed(&changed), before, "{changed:?}");
    }
}

#[test]
fn every_invisible_character_inside_every_word_of_a_sentence() {
    let sentence = "Người dân phản ánh Tỉnh uỷ chưa trả tiền lương cho lương y";
    let before = analysed(sentence);
    for c in INVISIBLE {
        for at in 0..=sentence.chars().count() {
            assert_eq!(
                analysed(&inserted(sentence, at, c)),
                before,
                "{c:?} at {at}"
            );
        }
    }
    // And a soft hyphen where a space was lost reads as the two syllables.
    assert_eq!(
        analysed("Người dân phản\u{00AD}ánh"),
        analysed("Người dân phản ánh")
    );
}

#[test]
fn decoders_never_panic_and_give_nfc() {
    let mut rng = Rng(7);
    for _ in 0..CASES {
        let bytes = random_bytes(&mut rng);
        for encoding in Legacy::ALL {
            let text = decode(&bytes, encoding);
            assert_eq!(normalize(&text), normalize(&normalize(&text)));
        }
        let _ = detect(&bytes);
    }
}

#[test]
fn random_ascii_is_never_converted() {
    let mut rng = Rng(99);
    for _ in 0..CASES {
        let bytes: Vec<u8> = random_bytes(&mut rng).iter().map(|b| b & 0x7F).collect();
        assert_eq!(detect(&bytes), None, "{bytes:?}");
        // Printable ASCII decodes to itself everywhere; TCVN3 and VISCII give some
        // control bytes to capitals, as their standards do.
        let bytes: Vec<u8> = bytes.iter().map(|b| b.max(&0x20)).copied().collect();
        for encoding in Legacy::ALL
            .into_iter()
            .filter(|e| *e != Legacy::Tcvn3Capitals)
        {
            assert_eq!(decode(&bytes, encoding).as_bytes(), &bytes[..]);
        }
    }
}
