//! Legacy 8-bit Vietnamese encodings decoded to Unicode NFC.
//!
//! Before Unicode, Vietnamese documents were typed in fonts whose byte values meant
//! Vietnamese letters. Text extracted from old DOC or PDF files still carries those
//! bytes, and reads as gibberish ("Tr\u{AD}êng") until decoded:
//!
//! | [`Legacy`] | fonts | how letters are stored |
//! |---|---|---|
//! | [`Legacy::Tcvn3`] | `.VnTime`, `.VnArial`, … (ABC) | one byte per toned letter (TCVN 5712:1993) |
//! | [`Legacy::Tcvn3Capitals`] | `.VnTimeH`, `.VnArialH`, … | same bytes, every letter drawn as a capital |
//! | [`Legacy::Vni`] | `VNI-Times`, `VNI-Helve`, … | base letter, then a mark byte |
//! | [`Legacy::Viscii`] | VISCII fonts (RFC 1456) | one byte per toned letter |
//! | [`Legacy::Cp1258`] | Windows code page 1258 | precomposed letters and combining tone marks |
//!
//! Choose the encoding from the font name when it is known ([`encoding_from_font`]),
//! otherwise let [`detect`] score the bytes; it answers `None` for UTF-8 and plain ASCII,
//! which must be left alone. [`decode`] never fails: bytes a code page does not define
//! become U+FFFD.

mod cp1258;
mod detect;
mod tcvn3;
mod viscii;
mod vni;

pub use detect::detect;

use unicode_normalization::UnicodeNormalization;

/// A legacy 8-bit Vietnamese encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Legacy {
    /// TCVN3 (ABC), the `.Vn*` fonts. Decoded with the full TCVN 5712:1993 VN1 table,
    /// of which TCVN3 (VN3) is the subset without upper-case toned letters.
    Tcvn3,
    /// TCVN3 text set in a capitals-only heading font (`.VnTimeH`): same bytes as
    /// [`Legacy::Tcvn3`], but every letter is a capital on the page, so it decodes
    /// to upper case.
    Tcvn3Capitals,
    /// VNI-Windows, the `VNI-*` fonts: ASCII base letter followed by a mark byte.
    Vni,
    /// VISCII (RFC 1456).
    Viscii,
    /// Windows-1258, which writes most tones as separate combining marks.
    Cp1258,
}

impl Legacy {
    /// Every encoding, in the order [`detect`] prefers them on a tie.
    pub const ALL: [Legacy; 5] = [
        Legacy::Tcvn3,
        Legacy::Vni,
        Legacy::Viscii,
        Legacy::Cp1258,
        Legacy::Tcvn3Capitals,
    ];
}

/// Decodes `bytes` written in `encoding` to Unicode NFC. Total: never panics, never
/// fails; undefined bytes become U+FFFD.
pub fn decode(bytes: &[u8], encoding: Legacy) -> String {
    let raw: String = match encoding {
        Legacy::Tcvn3 | Legacy::Tcvn3Capitals => bytes
            .iter()
            .map(|&b| tcvn3::TABLE[usize::from(b)])
            .collect(),
        Legacy::Viscii => bytes
            .iter()
            .map(|&b| viscii::TABLE[usize::from(b)])
            .collect(),
        Legacy::Cp1258 => bytes.iter().map(|&b| cp1258::char_of(b)).collect(),
        Legacy::Vni => vni::decode(bytes),
    };
    let text: String = raw.nfc().collect();
    if encoding == Legacy::Tcvn3Capitals {
        text.to_uppercase()
    } else {
        text
    }
}

/// The encoding a font's name implies, or `None` for a Unicode (or unknown) font.
///
/// Understands `.VnTime`, `.VnTimeH` (capitals), `VnArial` (PDF names often drop the
/// dot), `VNI-Times`, VISCII font names, style suffixes (`.VnTime,Bold`,
/// `VNI-Times-BoldItalic`) and PDF subset prefixes (`ABCDEF+.VnTime`).
pub fn encoding_from_font(name: &str) -> Option<Legacy> {
    let name = strip_subset_prefix(name.trim());
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("vni")
        && name
            .get(3..4)
            .is_some_and(|s| s == "-" || s == " " || s == "_")
    {
        return Some(Legacy::Vni);
    }
    if lower.contains("viscii") {
        return Some(Legacy::Viscii);
    }
    let family = name.strip_prefix('.').unwrap_or(name);
    // "Vn" then a capital: .VnTime, VnArial; not "Vni…" nor a word like "Vnexpress".
    let is_tcvn3 = family.starts_with("Vn")
        && family[2..].starts_with(|c: char| c.is_ascii_uppercase())
        || name.starts_with(".vn")
        || name.starts_with(".VN");
    if !is_tcvn3 {
        return None;
    }
    // Style after ',' (".VnTimeH,Bold") is not part of the name, nor a style word after
    // '-' (".VnArialH-Italic"); other hyphens are (".VnBook-AntiquaH").
    let base = family.split(',').next().unwrap_or(family);
    let base = match base.rsplit_once('-') {
        Some((head, tail)) if is_style(tail) => head,
        _ => base,
    };
    if base.trim_end().ends_with('H') {
        Some(Legacy::Tcvn3Capitals)
    } else {
        Some(Legacy::Tcvn3)
    }
}

/// A weight or slant PDF writers append to a font's name.
fn is_style(word: &str) -> bool {
    matches!(
        word.to_ascii_lowercase().as_str(),
        "bold" | "italic" | "bolditalic" | "oblique" | "boldoblique" | "regular" | "normal"
    )
}

/// Removes a PDF subset tag: six capital letters and `+`.
fn strip_subset_prefix(name: &str) -> &str {
    match name.split_once('+') {
        Some((tag, rest)) if tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()) => rest,
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_names_choose_the_encoding() {
        let cases = [
            (".VnTime", Some(Legacy::Tcvn3)),
            ("ABCDEF+.VnTime", Some(Legacy::Tcvn3)),
            (".VnTimeH", Some(Legacy::Tcvn3Capitals)),
            ("QWERTY+.VnArialH,Bold", Some(Legacy::Tcvn3Capitals)),
            ("VnTime-Bold", Some(Legacy::Tcvn3)),
            (".VnCentury Schoolbook", Some(Legacy::Tcvn3)),
            (".VnBook-Antiqua", Some(Legacy::Tcvn3)),
            (".VnBook-AntiquaH", Some(Legacy::Tcvn3Capitals)),
            (
                "ABCDEF+VnBook-AntiquaH-BoldItalic",
                Some(Legacy::Tcvn3Capitals),
            ),
            ("VnArialH-Italic", Some(Legacy::Tcvn3Capitals)),
            ("VNI-Times", Some(Legacy::Vni)),
            ("ABCDEF+VNI-Helve-Bold", Some(Legacy::Vni)),
            ("Times New Roman", None),
            ("ABCDEF+TimesNewRomanPSMT", None),
            ("Vnexpress Sans", None),
            ("Arial", None),
            ("", None),
        ];
        for (name, want) in cases {
            assert_eq!(encoding_from_font(name), want, "{name}");
        }
    }

    #[test]
    fn capitals_fonts_decode_to_upper_case() {
        // "Trường" typed in .VnTimeH shows as TRƯỜNG.
        assert_eq!(decode(b"Tr\xad\xeang", Legacy::Tcvn3Capitals), "TRƯỜNG");
    }
}
