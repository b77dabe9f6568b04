//! The text of an attachment, kept with it for search and read by the classification
//! check: plain text, DOCX (the runs of `word/document.xml`, plus headers and footers
//! for the check), XLSX (its shared strings) and PDF (`pdf.rs`). Images have none.
//!
//! Office XML is read with a small hand-written scan (`ooxml.rs`) rather than
//! `quick-xml`: all we need is the character data of `<w:t>` runs, their fonts and where
//! paragraphs end, and a malformed part still gives what text it has instead of an
//! error. Text typed in legacy Vietnamese encodings is converted (`legacy.rs`).

use std::io::{Cursor, Read};

use crate::i18n::Msg;

use super::ooxml::{self, Styles};
use super::sniff::Kind;
use super::{legacy, pdf};

/// What was read out of a file.
#[derive(Debug, Default)]
pub struct Extracted {
    /// The document's text, NFC, stored for search.
    pub text: String,
    /// Text around the body (DOCX headers and footers): checked for a stamp, not stored.
    pub margins: String,
    /// Said of the text when it could be read only approximately, or was converted
    /// from a legacy Vietnamese encoding.
    pub note: Option<Msg>,
}

/// The file claims a format but its content cannot be read, so it cannot be checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable;

pub const NOT_UTF8: Msg = "Tệp văn bản không ở mã UTF-8; nội dung chữ được đọc gần đúng.";

/// Largest uncompressed Office part read: beyond it a "document" is a ZIP bomb.
const MAX_PART: u64 = 64 * 1024 * 1024;
/// Most header and footer parts read (Word writes up to six per section).
const MAX_FURNITURE: usize = 24;
/// Longest text kept (bytes); the classification check reads all of it first.
pub const MAX_TEXT: usize = 4 * 1024 * 1024;

pub fn extract(kind: Kind, bytes: &[u8]) -> Result<Extracted, Unreadable> {
    match kind {
        Kind::Text => Ok(plain(bytes)),
        Kind::Docx => docx(bytes),
        Kind::Xlsx => xlsx(bytes),
        Kind::Pdf => Ok(pdf::extract(bytes)),
        Kind::Png | Kind::Jpeg => Ok(Extracted::default()),
    }
}

/// UTF-8 as is (without a byte-order mark); a legacy Vietnamese encoding converted
/// (`legacy.rs`); anything else read lossily and noted.
fn plain(bytes: &[u8]) -> Extracted {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (text, note) = match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), None),
        Err(_) => match legacy::plain(bytes) {
            Some((text, encoding)) => (text, legacy::note([encoding])),
            None => (String::from_utf8_lossy(bytes).into_owned(), Some(NOT_UTF8)),
        },
    };
    Extracted {
        text: tidy(&text),
        margins: String::new(),
        note,
    }
}

/// The body's runs, and the headers' and footers' for the check, with the runs typed
/// in legacy fonts converted (the fonts come from the runs, `word/styles.xml` and the
/// document defaults); the note says which encoding the body was converted from.
fn docx(bytes: &[u8]) -> Result<Extracted, Unreadable> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Unreadable)?;
    let body = read_part(&mut archive, "word/document.xml")?;
    // Styles only add fonts: a document whose styles cannot be read is read without.
    let styles = match archive.index_for_name("word/styles.xml") {
        Some(_) => read_part(&mut archive, "word/styles.xml")
            .map(|xml| Styles::parse(&xml))
            .unwrap_or_default(),
        None => Styles::default(),
    };
    let furniture: Vec<String> = archive
        .file_names_raw()
        .filter_map(|n| std::str::from_utf8(n).ok())
        .filter(|n| {
            (n.starts_with("word/header") || n.starts_with("word/footer")) && n.ends_with(".xml")
        })
        .take(MAX_FURNITURE)
        .map(str::to_owned)
        .collect();
    let mut pieces = ooxml::pieces(&body, &styles);
    let body_len = pieces.len();
    for name in furniture {
        pieces.extend(ooxml::pieces(&read_part(&mut archive, &name)?, &styles));
        pieces.push(ooxml::Piece::plain("\n"));
    }
    // One judgement over the whole document: the margins are typed like the body.
    legacy::convert(&mut pieces);
    let (body, margins) = pieces.split_at(body_len);
    Ok(Extracted {
        text: tidy(&ooxml::join(body)),
        margins: tidy(&ooxml::join(margins)),
        note: legacy::note(body.iter().filter_map(|p| p.converted)),
    })
}

fn xlsx(bytes: &[u8]) -> Result<Extracted, Unreadable> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Unreadable)?;
    // A workbook of numbers only has no shared strings part.
    let strings = match archive.index_for_name("xl/sharedStrings.xml") {
        Some(_) => read_part(&mut archive, "xl/sharedStrings.xml")?,
        None => String::new(),
    };
    Ok(Extracted {
        text: tidy(&ooxml_text(&strings)),
        margins: String::new(),
        note: None,
    })
}

fn read_part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<String, Unreadable> {
    let part = archive.by_name(name).map_err(|_| Unreadable)?;
    let mut out = Vec::new();
    part.take(MAX_PART)
        .read_to_end(&mut out)
        .map_err(|_| Unreadable)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// The text of an Office XML part, no fonts considered (see [`ooxml::pieces`]).
fn ooxml_text(xml: &str) -> String {
    ooxml::join(&ooxml::pieces(xml, &Styles::default()))
}

/// Appends XML character data with its five named entities and numeric references
/// decoded; anything else is kept as written.
pub(super) fn unescape_into(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|i| *i <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let decoded = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| entity.strip_prefix('#').map(str::parse::<u32>))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// NFC, line ends as `\n`, no trailing space, no control characters but tab and line feed (PostgreSQL
/// refuses NUL in text), at most [`MAX_TEXT`] bytes.
pub(crate) fn tidy(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut out: String = vntext::normalize(&text)
        .chars()
        .map(|c| if c == '\r' || c == '\u{0C}' { '\n' } else { c })
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect();
    out.truncate(out.trim_end().len());
    if out.len() > MAX_TEXT {
        let mut end = MAX_TEXT;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attachment::legacy::tests::{UBND_TCVN3, UBND_VNI};
    use crate::attachment::legacy::{FROM_TCVN3, FROM_VNI};
    use crate::attachment::sniff::tests::zip_of;

    const DOCUMENT: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>BÁO CÁO</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Tình hình </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>an toàn &amp; vệ sinh</w:t></w:r><w:r><w:tab/><w:t>&#272;ợt 1</w:t></w:r></w:p>
<w:p><w:r><w:delText>bỏ đi</w:delText><w:instrText> PAGE </w:instrText><w:t>Hết</w:t></w:r></w:p>
</w:body></w:document>"#;

    #[test]
    fn docx_text_is_the_runs_with_paragraph_breaks() {
        let docx = zip_of(&[
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", DOCUMENT),
            (
                "word/header1.xml",
                "<w:hdr><w:p><w:r><w:t>TỐI MẬT</w:t></w:r></w:p></w:hdr>",
            ),
        ]);
        let got = extract(Kind::Docx, &docx).expect("readable");
        assert_eq!(got.text, "BÁO CÁO\nTình hình an toàn & vệ sinh\tĐợt 1\nHết");
        assert_eq!(
            got.margins.trim(),
            "TỐI MẬT",
            "headers are read for the check"
        );
        assert_eq!(got.note, None);
    }

    #[test]
    fn a_docx_without_its_document_part_is_unreadable() {
        let broken = zip_of(&[
            ("[Content_Types].xml", "<Types/>"),
            ("word/other.xml", "<x/>"),
        ]);
        assert_eq!(extract(Kind::Docx, &broken).err(), Some(Unreadable));
    }

    #[test]
    fn xlsx_text_is_its_shared_strings() {
        let xlsx = zip_of(&[
            ("[Content_Types].xml", "<Types/>"),
            ("xl/workbook.xml", "<workbook/>"),
            (
                "xl/sharedStrings.xml",
                "<sst><si><t>Xã</t></si><si><r><t>Số </t></r><r><t>ca</t></r></si></sst>",
            ),
        ]);
        assert_eq!(
            extract(Kind::Xlsx, &xlsx).expect("readable").text,
            "Xã\nSố ca"
        );
    }

    #[test]
    fn plain_text_is_kept_and_other_encodings_are_noted() {
        let nfd = "\u{FEFF}Ba\u{0301}o ca\u{0301}o\r\nxong\0".as_bytes();
        let got = extract(Kind::Text, nfd).expect("text");
        assert_eq!(got.text, "Báo cáo\nxong", "NFC, LF, no BOM, no NUL");
        assert_eq!(got.note, None);
        let legacy = extract(Kind::Text, b"B\xe1o c\xe1o").expect("text");
        assert_eq!(legacy.note, Some(NOT_UTF8));
        assert_eq!(legacy.text, "B\u{FFFD}o c\u{FFFD}o");
    }

    #[test]
    fn unescaping_keeps_what_it_does_not_know() {
        let mut out = String::new();
        unescape_into(&mut out, "a &lt;b&gt; &unknown; &#x1EAD; & c");
        assert_eq!(out, "a <b> &unknown; ậ & c");
    }

    /// Bytes as Word keeps a legacy font's: one character U+0000–U+00FF each.
    fn as_word_keeps(bytes: &[u8]) -> String {
        bytes.iter().map(|&b| char::from(b)).collect()
    }

    /// A DOCX of `body` paragraphs, with `styles.xml` and a header paragraph.
    fn word(body: &str, styles: &str, header: &str) -> Vec<u8> {
        let ns = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;
        zip_of(&[
            ("[Content_Types].xml", "<Types/>"),
            (
                "word/document.xml",
                &format!("<w:document {ns}><w:body>{body}</w:body></w:document>"),
            ),
            (
                "word/styles.xml",
                &format!("<w:styles {ns}>{styles}</w:styles>"),
            ),
            ("word/header1.xml", &format!("<w:hdr {ns}>{header}</w:hdr>")),
        ])
    }

    /// TCVN3 defaults, a `.VnTimeH` heading style (iconv -t TCVN5712-1 for the bytes).
    const TCVN3_STYLES: &str = r#"<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"/>
<w:style w:type="paragraph" w:styleId="Heading1"><w:basedOn w:val="Normal"/><w:rPr><w:rFonts w:ascii=".VnTimeH" w:hAnsi=".VnTimeH"/></w:rPr></w:style>"#;

    #[test]
    fn a_docx_typed_in_tcvn3_fonts_is_converted() {
        let body = format!(
            r#"<w:p><w:r><w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/></w:rPr><w:t>{ubnd}</w:t></w:r></w:p>
<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>{report}</w:t></w:r></w:p>
<w:p><w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/></w:rPr><w:t xml:space="preserve">Cộng hòa “</w:t></w:r><w:r><w:t>{republic}</w:t></w:r><w:r><w:t>”</w:t></w:r></w:p>"#,
            ubnd = as_word_keeps(UBND_TCVN3),
            report = as_word_keeps(b"b\xb8o c\xb8o"),
            republic = as_word_keeps(b"C\xe9ng h\xdfa"),
        );
        let docx = word(&body, TCVN3_STYLES, "");
        let got = extract(Kind::Docx, &docx).expect("readable");
        assert_eq!(
            got.text,
            "Uỷ ban nhân dân tỉnh\nBÁO CÁO\nCộng hòa “Cộng hòa”"
        );
        assert_eq!(got.note, Some(FROM_TCVN3));
        assert!(vntext::canonical(&got.text).contains(&vntext::canonical("ủy ban nhân dân")));
    }

    #[test]
    fn a_stamp_typed_in_a_tcvn3_capitals_font_is_found() {
        // "tối mật" in TCVN3 bytes, shown as TỐI MẬT by the .VnTimeH heading style.
        let header = format!(
            r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>{}</w:t></w:r></w:p>"#,
            as_word_keeps(b"t\xe8i m\xcbt")
        );
        let body = format!(
            "<w:p><w:r><w:t>{}</w:t></w:r></w:p>",
            as_word_keeps(UBND_TCVN3)
        );
        let docx = word(&body, TCVN3_STYLES, &header);
        assert_eq!(
            extract(Kind::Docx, &docx).expect("readable").margins,
            "TỐI MẬT"
        );
        let refused = crate::attachment::check(&docx);
        assert!(
            matches!(
                refused,
                Err(crate::attachment::AttachmentError::Classified("TỐI MẬT"))
            ),
            "{refused:?}"
        );
    }

    #[test]
    fn unicode_text_in_a_tcvn3_font_is_not_mangled() {
        let body = r#"<w:p><w:r><w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/></w:rPr><w:t xml:space="preserve">Ủy ban nhân dân tỉnh </w:t></w:r><w:r><w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/><w:b/></w:rPr><w:t>và</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Bà Lê Thị Hà, 30°C, </w:t></w:r><w:r><w:t>cô</w:t></w:r></w:p>"#;
        let docx = word(body, TCVN3_STYLES, "");
        let got = extract(Kind::Docx, &docx).expect("readable");
        assert_eq!(got.text, "Ủy ban nhân dân tỉnh và\nBà Lê Thị Hà, 30°C, cô");
        assert_eq!(got.note, None);
    }

    #[test]
    fn legacy_text_files_are_converted_and_others_kept_or_noted() {
        for (bytes, note) in [(UBND_TCVN3, FROM_TCVN3), (UBND_VNI, FROM_VNI)] {
            let got = extract(Kind::Text, bytes).expect("text");
            assert_eq!(
                (got.text.as_str(), got.note),
                ("Uỷ ban nhân dân tỉnh", Some(note))
            );
        }
        let english = b"Minutes of the meeting.\r\nNothing to convert here.";
        let got = extract(Kind::Text, english).expect("text");
        assert_eq!(
            (got.text.as_str(), got.note),
            ("Minutes of the meeting.\nNothing to convert here.", None)
        );
        let french = extract(
            Kind::Text,
            b"Fran\xe7ais: \xe7a a \xe9t\xe9 pr\xe9sent\xe9.",
        )
        .expect("text");
        assert_eq!(
            french.text,
            "Fran\u{FFFD}ais: \u{FFFD}a a \u{FFFD}t\u{FFFD} pr\u{FFFD}sent\u{FFFD}."
        );
        assert_eq!(french.note, Some(NOT_UTF8));
        let garbage: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 223 + 32) as u8).collect();
        let got = extract(Kind::Text, &garbage).expect("text");
        assert_eq!(got.note, Some(NOT_UTF8));
        assert!(got.text.contains('\u{FFFD}'));
    }

    #[test]
    fn a_converted_text_file_is_checked_and_served_as_it_is() {
        let checked = crate::attachment::check(UBND_TCVN3).expect("accepted");
        assert_eq!(checked.text, "Uỷ ban nhân dân tỉnh");
        assert_eq!(checked.note, Some(FROM_TCVN3));
        assert_eq!(checked.mime, "text/plain", "the bytes are not UTF-8");
    }
}
