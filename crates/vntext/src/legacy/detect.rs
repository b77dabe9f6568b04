//! Guessing the legacy encoding of bytes whose font is unknown.
//!
//! Each candidate decoding is scored by the words that contain a non-ASCII letter:
//! a well-formed Vietnamese syllable counts for it, anything else (and every U+FFFD or
//! control character) against it. Wrong decodings produce letters no syllable allows
//! (*Tr\u{AD}êng*, *Vieät*), so the right one wins by a wide margin on real text.
//!
//! Guards, because converting text that was fine is worse than not converting: valid
//! UTF-8 (which includes plain ASCII) is never converted, and a winner needs at least
//! two thirds of its non-ASCII words to be syllables.

use unicode_normalization::char::is_combining_mark;

use super::{Legacy, decode};
use crate::tone;

/// The legacy encoding `bytes` are most likely written in, or `None` when they should
/// be left alone: valid UTF-8 (including ASCII), or nothing that decodes to Vietnamese.
///
/// TCVN3 text set in capitals fonts has the same bytes as ordinary TCVN3, so this
/// answers [`Legacy::Tcvn3`] for both; only the font name tells them apart.
pub fn detect(bytes: &[u8]) -> Option<Legacy> {
    if std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    let mut best: Option<(Legacy, i64)> = None;
    for encoding in Legacy::ALL {
        if encoding == Legacy::Tcvn3Capitals {
            continue;
        }
        let (good, bad) = score(&decode(bytes, encoding));
        if good == 0 || good < 2 * bad {
            continue;
        }
        let total = good - bad;
        if best.is_none_or(|(_, b)| total > b) {
            best = Some((encoding, total));
        }
    }
    best.map(|(encoding, _)| encoding)
}

/// (syllables, faults) among the words of `text` that contain a non-ASCII letter.
fn score(text: &str) -> (i64, i64) {
    let mut good = 0;
    let mut bad = 0;
    let is_word = |c: char| c.is_alphabetic() || is_combining_mark(c);
    for word in text.split(|c: char| !is_word(c)).filter(|w| !w.is_ascii()) {
        if tone::is_syllable(word) {
            good += 1;
        } else {
            bad += 1;
        }
    }
    bad += text
        .chars()
        .filter(|&c| c == '\u{FFFD}' || (c.is_control() && !matches!(c, '\t' | '\n' | '\r')))
        .count() as i64;
    (good, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_and_ascii_are_left_alone() {
        assert_eq!(detect("Tỉnh ủy Kon Tum".as_bytes()), None);
        assert_eq!(detect(b"The quick brown fox"), None);
        assert_eq!(detect(b""), None);
    }

    #[test]
    fn latin1_french_is_not_vietnamese() {
        assert_eq!(detect(b"Le caf\xe9 est tr\xe8s bon, d\xe9j\xe0 vu"), None);
    }

    #[test]
    fn each_encoding_is_recognised_on_a_sentence() {
        let tcvn3 = b"Tr\xad\xeang \xae\xb9i h\xe4c Qu\xe8c gia";
        assert_eq!(detect(tcvn3), Some(Legacy::Tcvn3));
        let vni = b"Tr\xf6\xf4\xf8ng \xf1a\xefi ho\xefc Quo\xe1c gia";
        assert_eq!(detect(vni), Some(Legacy::Vni));
    }
}
