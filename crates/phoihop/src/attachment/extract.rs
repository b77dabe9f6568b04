//! The text of an attachment, kept with it for search and read by the classification
//! check: plain text, DOCX (the runs of `word/document.xml`, plus headers and footers
//! for the check), XLSX (its shared strings) and PDF (`pdf.rs`). Images have none.
//!
//! Office XML is read with a small hand-written scan rather than `quick-xml`: all we
//! need is the character data of `<w:t>` runs and where paragraphs end, which is some
//! sixty lines with no dependency, and a malformed part still gives what text it has
//! instead of an error.

use std::io::{Cursor, Read};

use crate::i18n::Msg;

use super::pdf;
use super::sniff::Kind;

/// What was read out of a file.
#[derive(Debug, Default)]
pub struct Extracted {
    /// The document's text, NFC, stored for search.
    pub text: String,
    /// Text around the body (DOCX headers and footers): checked for a stamp, not stored.
    pub margins: String,
    /// Said of the text when it could be read only approximately.
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

/// UTF-8 as is (without a byte-order mark); anything else read lossily and noted.
fn plain(bytes: &[u8]) -> Extracted {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (text, note) = match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), None),
        Err(_) => (String::from_utf8_lossy(bytes).into_owned(), Some(NOT_UTF8)),
    };
    Extracted {
        text: tidy(&text),
        margins: String::new(),
        note,
    }
}

fn docx(bytes: &[u8]) -> Result<Extracted, Unreadable> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Unreadable)?;
    let body = read_part(&mut archive, "word/document.xml")?;
    let furniture: Vec<String> = archive
        .file_names_raw()
        .filter_map(|n| std::str::from_utf8(n).ok())
        .filter(|n| {
            (n.starts_with("word/header") || n.starts_with("word/footer")) && n.ends_with(".xml")
        })
        .take(MAX_FURNITURE)
        .map(str::to_owned)
        .collect();
    let mut margins = String::new();
    for name in furniture {
        margins.push_str(&ooxml_text(&read_part(&mut archive, &name)?));
        margins.push('\n');
    }
    Ok(Extracted {
        text: tidy(&ooxml_text(&body)),
        margins: tidy(&margins),
        note: None,
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

/// The text of an Office XML part: character data of `t` elements (`w:t` in Word,
/// `t` in shared strings, `a:t` in drawings), a line break after each paragraph (`p`)
/// or shared string (`si`), tabs and breaks inside runs. Deleted text (`w:delText`)
/// and field codes (`w:instrText`) have other names and are left out.
pub(crate) fn ooxml_text(xml: &str) -> String {
    let mut out = String::new();
    let (mut in_text, mut in_run) = (0usize, 0usize);
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        if in_text > 0 {
            unescape_into(&mut out, &rest[..lt]);
        }
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<![CDATA[") {
            let end = after.find("]]>").unwrap_or(after.len());
            if in_text > 0 {
                out.push_str(&after[..end]);
            }
            rest = after.get(end + 3..).unwrap_or("");
            continue;
        }
        let close = if rest.starts_with("<!--") { "-->" } else { ">" };
        let Some(gt) = rest.find(close) else { break };
        let tag = &rest[1..gt];
        rest = &rest[gt + close.len()..];
        if tag.starts_with(['?', '!']) {
            continue;
        }
        let closing = tag.starts_with('/');
        let empty = tag.ends_with('/');
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("");
        let local = name.rsplit(':').next().unwrap_or(name);
        match local {
            "t" if closing => in_text = in_text.saturating_sub(1),
            "t" if !empty => in_text += 1,
            "r" if closing => in_run = in_run.saturating_sub(1),
            "r" if !empty => in_run += 1,
            "tab" if in_run > 0 && !closing => out.push('\t'),
            "br" | "cr" if in_run > 0 && !closing => out.push('\n'),
            "p" | "si" if closing => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// Appends XML character data with its five named entities and numeric references
/// decoded; anything else is kept as written.
fn unescape_into(out: &mut String, text: &str) {
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
}
