//! Classification stamps (dấu chỉ độ mật). Material classified *MẬT*, *TỐI MẬT* or
//! *TUYỆT MẬT* must never be processed on a networked system, so an upload whose text
//! carries such a stamp is refused before anything of it is stored. The words also
//! occur in ordinary writing (*mật khẩu*, *bí mật*, *MẬT ĐỘ DÂN SỐ*), so the rule looks
//! for the stamp as it is typed on a document, not for the word.

/// The three degrees, as stamped (upper case, NFC), and as typed without diacritics.
const MARKINGS: &[(&str, &str)] = &[
    ("MẬT", "MẬT"),
    ("TỐI MẬT", "TỐI MẬT"),
    ("TUYỆT MẬT", "TUYỆT MẬT"),
    ("MAT", "MẬT"),
    ("TOI MAT", "TỐI MẬT"),
    ("TUYET MAT", "TUYỆT MẬT"),
];

/// Characters that frame a stamp without being part of it: `** MẬT **`, `(TỐI MẬT)`,
/// `[MẬT]`, `- MẬT -`, `"TUYỆT MẬT".`
fn is_frame(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '*' | '-'
                | '–'
                | '—'
                | '_'
                | '='
                | '~'
                | '"'
                | '\''
                | '“'
                | '”'
                | '«'
                | '»'
                | '('
                | ')'
                | '['
                | ']'
                | '{'
                | '}'
                | '<'
                | '>'
                | '.'
                | ':'
                | '|'
                | '#'
                | '!'
        )
}

/// The degree a text is stamped with, if any (`"TỐI MẬT"`).
///
/// The rule, applied to the text in NFC (so NFD input counts the same):
///
/// 1. The text is cut into *cells*: lines, and within a line the pieces separated by a
///    tab or by two spaces or more (a stamp typed at the right of a header line, a
///    table cell, a PDF line laid out with gaps).
/// 2. A cell is a stamp when, once the framing characters around it are dropped and
///    its spaces collapsed, it is **exactly** `MẬT`, `TỐI MẬT` or `TUYỆT MẬT` in upper
///    case, or the same without diacritics (`MAT`, `TOI MAT`, `TUYET MAT`). Stamps are
///    upper case; a lone "Mật" or "mật" is a word, not a marking, and a cell that says
///    more (`MẬT ĐỘ DÂN SỐ`, `BÍ MẬT`, `MẬT ONG`) is a heading, not a stamp. Other
///    diacritics do not count (`MÁT` is "cool", not a stamp).
/// 3. A cell is also a stamp when it is the document's own field for it: the label
///    *Độ mật* (any case, with or without diacritics), a colon, and one of the three
///    degrees in any case (`Độ mật: Tối mật`). `Độ mật: Thường` is not.
///
/// So running text never triggers it (*giữ bí mật*, *mật khẩu*, *thông tin tối mật* in
/// a sentence), while every way the stamp is actually put on a page does.
pub fn stamp(text: &str) -> Option<&'static str> {
    let text = vntext::normalize(text);
    text.split(['\n', '\r', '\u{0C}', '\u{2028}', '\u{2029}'])
        .flat_map(cells)
        .find_map(|cell| marking(cell).or_else(|| labelled(cell)))
}

/// Pieces of a line separated by a tab or by two spaces or more.
fn cells(line: &str) -> impl Iterator<Item = &str> {
    line.split('\t').flat_map(|part| part.split("  "))
}

fn collapse(cell: &str) -> String {
    cell.trim_matches(is_frame)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Rule 2: the cell is exactly a marking, in upper case.
fn marking(cell: &str) -> Option<&'static str> {
    let cell = collapse(cell);
    MARKINGS
        .iter()
        .find(|(typed, _)| *typed == cell)
        .map(|(_, degree)| *degree)
}

/// Rule 3: `Độ mật: <degree>`, any case.
fn labelled(cell: &str) -> Option<&'static str> {
    let (label, value) = cell.split_once(':')?;
    if vntext::fold(&collapse(label)) != "do mat" {
        return None;
    }
    let value = vntext::fold(&collapse(value));
    match value.as_str() {
        "mat" => Some("MẬT"),
        "toi mat" => Some("TỐI MẬT"),
        "tuyet mat" => Some("TUYỆT MẬT"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_as_typed_on_documents_are_found() {
        assert_eq!(stamp("TỐI MẬT\nBÁO CÁO\nVề tình hình..."), Some("TỐI MẬT"));
        assert_eq!(stamp("Số: 12/BC\n   MẬT   \nNội dung"), Some("MẬT"));
        assert_eq!(stamp("** TUYỆT MẬT **"), Some("TUYỆT MẬT"));
        assert_eq!(stamp("(TỐI MẬT)"), Some("TỐI MẬT"));
        assert_eq!(
            stamp("UBND TỈNH NGỌC SƠN\tMẬT"),
            Some("MẬT"),
            "at the right of a header"
        );
        assert_eq!(
            stamp("SỞ Y TẾ          TỐI MẬT"),
            Some("TỐI MẬT"),
            "laid out with gaps"
        );
        assert_eq!(stamp("TOI MAT"), Some("TỐI MẬT"), "without diacritics");
        assert_eq!(stamp("TUYET MAT\r\n"), Some("TUYỆT MẬT"));
        let nfd = "TO\u{0302}\u{0301}I MA\u{0302}\u{0323}T";
        assert_eq!(stamp(nfd), Some("TỐI MẬT"), "typed in NFD");
        assert_eq!(
            stamp("Độ mật: Tối mật"),
            Some("TỐI MẬT"),
            "the document's own field"
        );
        assert_eq!(stamp("ĐỘ MẬT: MẬT"), Some("MẬT"));
        assert_eq!(stamp("Do mat : tuyet mat"), Some("TUYỆT MẬT"));
    }

    #[test]
    fn ordinary_words_are_not_stamps() {
        for text in [
            "Đề nghị không chia sẻ mật khẩu đăng nhập.",
            "Cán bộ phải giữ bí mật thông tin cá nhân của người dân.",
            "MẬT ĐỘ DÂN SỐ CÁC XÃ VÙNG CAO",
            "BÍ MẬT",
            "MẬT ONG RỪNG U MINH",
            "Mật",
            "mật",
            "Tối mật",
            "tài liệu tối mật trong câu văn",
            "MÁT",
            "MẶT TRẬN TỔ QUỐC",
            "Độ mật: Thường",
            "Tài liệu không có độ mật",
            "Độ mật tối mật",
            "",
        ] {
            assert_eq!(stamp(text), None, "{text:?}");
        }
    }
}
