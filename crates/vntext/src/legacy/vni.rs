//! VNI-Windows decoding. VNI writes most Vietnamese letters as an ASCII base letter
//! followed by one "mark" byte (`a` + `ù` = *á*, `a` + `á` = *ấ*); a few letters are a
//! single byte (*ơ ư đ*, the toned *i*, *ỵ*). The table follows the published VNI
//! layout (see `testdata/README.md` for the sources); `tests/legacy_tables.rs` checks
//! it on all 134 toned vowels. No iconv codec exists for VNI.

use super::cp1258;

const ACUTE: char = '\u{0301}';
const GRAVE: char = '\u{0300}';
const HOOK: char = '\u{0309}';
const TILDE: char = '\u{0303}';
const DOT: char = '\u{0323}';
const CIRCUMFLEX: char = '\u{0302}';
const BREVE: char = '\u{0306}';

/// Letters stored as one byte; the upper-case byte is the lower-case one minus 0x20.
fn single(b: u8) -> Option<char> {
    Some(match b {
        0xF4 => 'ơ',
        0xD4 => 'Ơ',
        0xF6 => 'ư',
        0xD6 => 'Ư',
        0xF1 => 'đ',
        0xD1 => 'Đ',
        0xED => 'í',
        0xCD => 'Í',
        0xEC => 'ì',
        0xCC => 'Ì',
        0xE6 => 'ỉ',
        0xC6 => 'Ỉ',
        0xF3 => 'ĩ',
        0xD3 => 'Ĩ',
        0xF2 => 'ị',
        0xD2 => 'Ị',
        0xEE => 'ỵ',
        0xCE => 'Ỵ',
        _ => return None,
    })
}

/// Combining marks a mark byte stands for (quality mark first, then tone). Writers mix
/// the lower- and upper-case mark bytes, so both are accepted after any letter.
fn marks(b: u8) -> Option<&'static [char]> {
    Some(match b | 0x20 {
        0xF9 => &[ACUTE],
        0xF8 => &[GRAVE],
        0xFB => &[HOOK],
        0xF5 => &[TILDE],
        0xEF => &[DOT],
        0xE2 => &[CIRCUMFLEX],
        0xE1 => &[CIRCUMFLEX, ACUTE],
        0xE0 => &[CIRCUMFLEX, GRAVE],
        0xE5 => &[CIRCUMFLEX, HOOK],
        0xE3 => &[CIRCUMFLEX, TILDE],
        0xE4 => &[CIRCUMFLEX, DOT],
        0xEA => &[BREVE],
        0xE9 => &[BREVE, ACUTE],
        0xE8 => &[BREVE, GRAVE],
        0xFA => &[BREVE, HOOK],
        0xFC => &[BREVE, TILDE],
        0xEB => &[BREVE, DOT],
        _ => return None,
    })
}

/// Vowels that take a VNI mark byte: the ASCII ones and the single-byte *ơ ư*.
fn takes_mark(c: char) -> bool {
    matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
        || matches!(c, 'ơ' | 'Ơ' | 'ư' | 'Ư')
}

/// Decodes VNI bytes to Unicode with combining marks; the caller applies NFC.
pub(super) fn decode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    // The last character written, when it was a vowel with no mark byte yet.
    let mut open_vowel = false;
    for &b in bytes {
        if open_vowel && let Some(ms) = marks(b) {
            out.extend(ms);
            open_vowel = false;
            continue;
        }
        let c = single(b).unwrap_or_else(|| cp1258_as_1252(b));
        out.push(c);
        open_vowel = takes_mark(c);
    }
    out
}

/// Other bytes show the Windows-1252 glyph in VNI fonts (curly quotes, dashes).
fn cp1258_as_1252(b: u8) -> char {
    match b {
        0x8A => 'Š',
        0x8E => 'Ž',
        0x9A => 'š',
        0x9E => 'ž',
        0x00..=0x9F => cp1258::char_of(b),
        _ => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    fn vni(bytes: &[u8]) -> String {
        decode(bytes).nfc().collect()
    }

    #[test]
    fn base_letter_and_mark_byte_make_one_letter() {
        assert_eq!(vni(b"Vie\xe4t Nam"), "Việt Nam");
        assert_eq!(vni(b"Tr\xf6\xf4\xf8ng"), "Trường");
        assert_eq!(vni(b"\xd1a\xe0u t\xf6"), "Đầu tư");
    }

    #[test]
    fn a_mark_byte_without_a_vowel_is_a_latin_letter() {
        assert_eq!(vni(b"\xf9 x\xe2"), "ù xâ");
    }
}
