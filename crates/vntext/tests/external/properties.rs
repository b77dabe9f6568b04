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
