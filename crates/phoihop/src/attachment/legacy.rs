//! Text typed in the legacy 8-bit Vietnamese encodings (TCVN3/ABC, VNI, VISCII,
//! Windows-1258), converted to Unicode so it can be searched and shown. The stored
//! file is never touched; only its extracted text is converted, and a note says so.
//!
//! Converting text that was fine is worse than not converting, so a label (a font
//! name) is never enough, and the content has the last word:
//!
//! - **Plain text** that is valid UTF-8 is never converted, nor bytes that are mostly
//!   good UTF-8 with some damage. Other bytes are converted when they hold a character
//!   Unicode Vietnamese never has at U+0080–U+00FF (*©*, *®*, *¸*, *Ö*: bytes whose
//!   Latin-1 letters could be Vietnamese, *B\xE1o*, are as likely Windows-1258 *Báo*
//!   as TCVN3 *Bỏo*) and [`vntext::legacy::detect`] finds an encoding that reads as
//!   Vietnamese syllables. Otherwise (Latin-1 French, garbage) the text is read
//!   approximately, as before.
//! - **DOCX**: Word keeps the bytes of a legacy font as the characters U+0000–U+00FF
//!   (`.VnTime` "nh©n" is *nhân*). The runs in the fonts of one encoding family are
//!   judged together. A run holding Vietnamese letters beyond Latin-1 (*ư ơ đ ă ệ …*) is
//!   Unicode already, in a mislabelled font, and is kept; the runs holding a character
//!   Unicode Vietnamese never has are the sample given to `detect`. The family's runs
//!   are converted only when the sample reads as the encoding the fonts name, and such
//!   runs outnumber the Unicode ones; then the runs whose letters could be either
//!   (*và*, which is also TCVN3 for *vỔ*) are converted with them.

use vntext::legacy::{self, Legacy};

use crate::i18n::Msg;

use super::ooxml::Piece;

pub const FROM_TCVN3: Msg = "Đã chuyển từ bảng mã TCVN3 (ABC) sang Unicode.";
pub const FROM_VNI: Msg = "Đã chuyển từ bảng mã VNI sang Unicode.";
pub const FROM_VISCII: Msg = "Đã chuyển từ bảng mã VISCII sang Unicode.";
pub const FROM_CP1258: Msg = "Đã chuyển từ bảng mã Windows-1258 sang Unicode.";
pub const FROM_SEVERAL: Msg = "Đã chuyển từ các bảng mã cũ (TCVN3, VNI…) sang Unicode.";

/// Bytes given to `detect`: enough to decide, bounded on large files.
const SAMPLE: usize = 256 * 1024;

/// What to tell the person about text converted from `encodings`.
pub fn note(encodings: impl IntoIterator<Item = Legacy>) -> Option<Msg> {
    let mut families = encodings.into_iter().map(family);
    let first = families.next()?;
    if families.any(|e| e != first) {
        return Some(FROM_SEVERAL);
    }
    Some(match first {
        Legacy::Tcvn3 | Legacy::Tcvn3Capitals => FROM_TCVN3,
        Legacy::Vni => FROM_VNI,
        Legacy::Viscii => FROM_VISCII,
        Legacy::Cp1258 => FROM_CP1258,
    })
}

/// The text of plain-text bytes that are not UTF-8, when they are in a legacy
/// encoding, with the encoding; `None` when they should be read approximately.
pub fn plain(bytes: &[u8]) -> Option<(String, Legacy)> {
    if std::str::from_utf8(bytes).is_ok() || mostly_utf8(bytes) {
        return None;
    }
    if reading(bytes.iter().map(|&b| char::from(b))) != Reading::Legacy {
        return None;
    }
    let encoding = legacy::detect(&bytes[..bytes.len().min(SAMPLE)])?;
    Some((legacy::decode(bytes, encoding), encoding))
}

/// UTF-8 with a few bad bytes (a file cut short, a stray Latin-1 byte) has more good
/// non-ASCII characters than bad bytes; legacy text has almost none.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        good += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad += usize::from(!chunk.invalid().is_empty());
    }
    good > bad
}

/// How the text of a run in a legacy font reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Holds Vietnamese letters beyond Latin-1: Unicode already.
    Unicode,
    /// ASCII only: the same in every encoding.
    Ascii,
    /// Holds a character Unicode Vietnamese never has: legacy bytes, if anything.
    Legacy,
    /// Non-ASCII, but every letter could be Unicode Vietnamese (*và*, *mét*).
    Either,
}

fn reading(text: impl IntoIterator<Item = char>) -> Reading {
    let mut seen = Reading::Ascii;
    for c in text {
        if beyond_latin1_vietnamese(c) {
            return Reading::Unicode;
        }
        match byte_of(c) {
            Some(b) if b >= 0x80 && !latin1_vietnamese(b) => seen = Reading::Legacy,
            Some(b) if (b >= 0x80 || u32::from(c) > 0xFF) && seen == Reading::Ascii => {
                seen = Reading::Either;
            }
            _ => {}
        }
    }
    seen
}

/// Converts the pieces in legacy fonts that read as legacy text (see the module
/// documentation), marking each converted piece with its encoding.
pub fn convert(pieces: &mut [Piece]) {
    let mut families: Vec<Legacy> = Vec::new();
    for font in pieces.iter().filter_map(|p| p.font.map(family)) {
        if !families.contains(&font) {
            families.push(font);
        }
    }
    for f in families {
        convert_family(pieces, f);
    }
}

fn convert_family(pieces: &mut [Piece], f: Legacy) {
    let readings: Vec<Option<Reading>> = pieces
        .iter()
        .map(|p| (p.font.map(family) == Some(f)).then(|| reading(p.text.chars())))
        .collect();
    let (mut sample, mut legacy_runs, mut unicode_runs) = (Vec::new(), 0usize, 0usize);
    for (piece, r) in pieces.iter().zip(&readings) {
        match r {
            Some(Reading::Legacy) => {
                legacy_runs += 1;
                if sample.len() < SAMPLE {
                    sample.extend(piece.text.chars().map(|c| byte_of(c).unwrap_or(b' ')));
                    sample.push(b'\n');
                }
            }
            Some(Reading::Unicode) => unicode_runs += 1,
            _ => {}
        }
    }
    // The sample must read as what the fonts say: Unicode text in a legacy font with a
    // stray symbol (`30°C`) reads as nothing, or as something else on so little.
    if legacy_runs <= unicode_runs || legacy::detect(&sample).map(family) != Some(f) {
        return;
    }
    for (piece, r) in pieces.iter_mut().zip(readings) {
        let go = match r {
            Some(Reading::Legacy | Reading::Either) => true,
            // Text in a capitals font shows in capitals, ASCII letters included.
            Some(Reading::Ascii) => piece.font == Some(Legacy::Tcvn3Capitals),
            _ => false,
        };
        if go && let Some(encoding) = piece.font {
            piece.text = decode_mixed(&piece.text, encoding);
            piece.converted = Some(encoding);
        }
    }
}

/// Decodes the byte-like characters of `text`, keeping the others (curly quotes and
/// dashes Word already stored as Unicode) where they are.
fn decode_mixed(text: &str, encoding: Legacy) -> String {
    let mut out = String::with_capacity(text.len());
    let mut bytes = Vec::new();
    for c in text.chars() {
        match byte_of(c) {
            Some(b) => bytes.push(b),
            None => {
                out.push_str(&legacy::decode(&bytes, encoding));
                bytes.clear();
                out.push(c);
            }
        }
    }
    out.push_str(&legacy::decode(&bytes, encoding));
    out
}

/// The font byte a character of a legacy run stands for: U+0000–U+00FF, or the
/// private-use U+F000–U+F0FF Word uses for fonts it treats as symbol fonts.
fn byte_of(c: char) -> Option<u8> {
    let n = u32::from(c);
    let n = if (0xF000..=0xF0FF).contains(&n) {
        n - 0xF000
    } else {
        n
    };
    u8::try_from(n).ok()
}

/// Capitals and ordinary TCVN3 have the same bytes: one family.
fn family(e: Legacy) -> Legacy {
    match e {
        Legacy::Tcvn3Capitals => Legacy::Tcvn3,
        other => other,
    }
}

/// Vietnamese letters of Unicode's Latin-1 block (and the no-break space, common in
/// Word either way): what Unicode Vietnamese text may show at U+0080–U+00FF.
fn latin1_vietnamese(b: u8) -> bool {
    matches!(
        b,
        0xA0 | 0xC0..=0xC3 | 0xC8..=0xCA | 0xCC | 0xCD | 0xD2..=0xD5 | 0xD9 | 0xDA | 0xDD
            | 0xE0..=0xE3 | 0xE8..=0xEA | 0xEC | 0xED | 0xF2..=0xF5 | 0xF9 | 0xFA | 0xFD
    )
}

/// Letters (and combining tone marks) only Unicode Vietnamese has: ă đ ĩ ũ ơ ư and
/// the toned letters U+1EA0–U+1EF9, in either case.
fn beyond_latin1_vietnamese(c: char) -> bool {
    matches!(
        c,
        'ă' | 'Ă' | 'đ' | 'Đ' | 'ĩ' | 'Ĩ' | 'ũ' | 'Ũ' | 'ơ' | 'Ơ' | 'ư' | 'Ư' | '\u{1EA0}'
            ..='\u{1EF9}' | '\u{0300}' | '\u{0301}' | '\u{0303}' | '\u{0309}' | '\u{0323}'
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// "Uỷ ban nhân dân tỉnh" as `iconv -f UTF-8 -t TCVN5712-1` writes it.
    pub(crate) const UBND_TCVN3: &[u8] = b"U\xfb ban nh\xa9n d\xa9n t\xd8nh";
    /// The same in VNI-Windows (`testdata/vni-vowels.tsv`: ỷ = 79 fb, â = 61 e2, ỉ = e6).
    pub(crate) const UBND_VNI: &[u8] = b"Uy\xfb ban nha\xe2n da\xe2n t\xe6nh";

    fn piece(text: &str, font: Option<Legacy>) -> Piece {
        Piece::in_font(text, font)
    }

    fn latin1(bytes: &[u8]) -> String {
        bytes.iter().map(|&b| char::from(b)).collect()
    }

    #[test]
    fn plain_legacy_text_is_detected_and_decoded() {
        assert_eq!(
            plain(UBND_TCVN3),
            Some(("Uỷ ban nhân dân tỉnh".to_owned(), Legacy::Tcvn3))
        );
        assert_eq!(
            plain(UBND_VNI),
            Some(("Uỷ ban nhân dân tỉnh".to_owned(), Legacy::Vni))
        );
    }

    #[test]
    fn utf8_latin1_and_damaged_utf8_are_not_converted() {
        assert_eq!(plain("Ủy ban nhân dân tỉnh".as_bytes()), None);
        assert_eq!(plain(b"Plain English, nothing to do."), None);
        assert_eq!(plain(b"Le caf\xe9 est tr\xe8s bon, d\xe9j\xe0 vu."), None);
        assert_eq!(plain(b"Die Stra\xdfe f\xfcr Sch\xfcler"), None);
        let mut damaged = "Tỉnh ủy Kon Tum họp phiên thường kỳ".as_bytes().to_vec();
        damaged.extend_from_slice(b" \xff\xfe");
        assert_eq!(plain(&damaged), None);
        assert_eq!(plain(b"\xff\xfe\xfd\xfc \x80\x81\x82 \xc0\xc1"), None);
        // Windows-1258 or TCVN3? Latin-1 letters only: not converted on a guess.
        assert_eq!(plain(b"B\xe1o c\xe1o"), None);
    }

    #[test]
    fn notes_have_english() {
        for n in [FROM_TCVN3, FROM_VNI, FROM_VISCII, FROM_CP1258, FROM_SEVERAL] {
            assert_ne!(crate::i18n::tr(crate::i18n::Lang::En, n), n);
        }
    }

    #[test]
    fn notes_name_the_encoding_or_say_several() {
        assert_eq!(note([]), None);
        assert_eq!(
            note([Legacy::Tcvn3Capitals, Legacy::Tcvn3]),
            Some(FROM_TCVN3)
        );
        assert_eq!(note([Legacy::Vni]), Some(FROM_VNI));
        assert_eq!(note([Legacy::Tcvn3, Legacy::Vni]), Some(FROM_SEVERAL));
    }

    #[test]
    fn runs_in_legacy_fonts_are_converted_others_kept() {
        let mut pieces = vec![
            piece(&latin1(UBND_TCVN3), Some(Legacy::Tcvn3)),
            piece(" – ", Some(Legacy::Tcvn3)),
            // "có" and "vẫn" in TCVN3: c + 0xE3, v + 0xC9 + n
            piece(&latin1(b"c\xe3 v\xc9n"), Some(Legacy::Tcvn3)),
            piece(&latin1(b"b\xb8o c\xb8o"), Some(Legacy::Tcvn3Capitals)),
            piece("Cộng hòa", None),
            piece(&latin1(UBND_VNI), Some(Legacy::Vni)),
        ];
        convert(&mut pieces);
        let texts: Vec<&str> = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Uỷ ban nhân dân tỉnh",
                " – ",
                "có vẫn",
                "BÁO CÁO",
                "Cộng hòa",
                "Uỷ ban nhân dân tỉnh"
            ]
        );
        let converted: Vec<Option<Legacy>> = pieces.iter().map(|p| p.converted).collect();
        assert_eq!(
            converted,
            [
                Some(Legacy::Tcvn3),
                None,
                Some(Legacy::Tcvn3),
                Some(Legacy::Tcvn3Capitals),
                None,
                Some(Legacy::Vni)
            ]
        );
    }

    #[test]
    fn unicode_text_in_a_legacy_font_is_left_alone() {
        let texts = ["Ủy ban nhân dân tỉnh", "và", "Bà Lê Thị Hà", "30°C"];
        let mut pieces: Vec<Piece> = texts
            .iter()
            .map(|t| piece(t, Some(Legacy::Tcvn3)))
            .collect();
        convert(&mut pieces);
        assert!(pieces.iter().all(|p| p.converted.is_none()), "{pieces:?}");
        let kept: Vec<&str> = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(kept, texts);
    }

    #[test]
    fn a_wrong_legacy_label_converts_nothing() {
        // VNI bytes in a run whose font says .VnTime: not made into TCVN3 gibberish.
        let vni = latin1(UBND_VNI);
        let mut pieces = vec![piece(&vni, Some(Legacy::Tcvn3))];
        convert(&mut pieces);
        assert_eq!(
            (pieces[0].text.as_str(), pieces[0].converted),
            (vni.as_str(), None)
        );
        // French in a .VnTime font is not Vietnamese in any encoding.
        let french = "Le français est très développé, ça a été présenté à l'assemblée.";
        let mut pieces = vec![piece(french, Some(Legacy::Tcvn3))];
        convert(&mut pieces);
        assert_eq!(pieces[0].text, french);
    }

    #[test]
    fn symbol_font_code_points_are_bytes_too() {
        let pua: String = UBND_TCVN3
            .iter()
            .map(|&b| char::from_u32(0xF000 + u32::from(b)).unwrap_or('?'))
            .collect();
        let mut pieces = vec![piece(&pua, Some(Legacy::Tcvn3))];
        convert(&mut pieces);
        assert_eq!(pieces[0].text, "Uỷ ban nhân dân tỉnh");
    }

    #[test]
    fn every_cut_of_a_legacy_document_reads_without_panic() {
        use super::super::ooxml::{Styles, pieces};
        let styles = r#"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:hAnsi=".VnTimeH"/></w:rPr></w:rPrDefault></w:docDefaults><w:style w:styleId="V"><w:basedOn w:val="V"/><w:rPr><w:rFonts w:hAnsi='VNI-Times'/></w:rPr></w:style>"#;
        let document = format!(
            r#"<w:p><w:pPr><w:pStyle w:val="V"/></w:pPr><w:r><w:t>{}</w:t><w:tab/></w:r><w:r><w:rPr><w:rFonts w:hAnsi=".VnTime"/></w:rPr><w:t>{}&#xA9;“x”</w:t></w:r></w:p>"#,
            latin1(UBND_VNI),
            latin1(UBND_TCVN3)
        );
        for end in (0..=document.len()).filter(|&i| document.is_char_boundary(i)) {
            let cut = end.min(styles.len());
            let mut got = pieces(&document[..end], &Styles::parse(&styles[..cut]));
            convert(&mut got);
        }
        let mut got = pieces(&document, &Styles::parse(styles));
        convert(&mut got);
        let text: String = got.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(text, "Uỷ ban nhân dân tỉnh\tUỷ ban nhân dân tỉnhâ“x”\n");
    }
}
