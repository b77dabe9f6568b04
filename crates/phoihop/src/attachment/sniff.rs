//! What a file is, decided from its bytes (magic numbers) and, for ZIP containers, from
//! the parts inside; never from its name or the browser's Content-Type, which the
//! sender controls. Only the kinds offices exchange about a case are allowed: PDF,
//! DOCX, XLSX, PNG, JPEG and plain text. Everything else, including a ZIP that is not
//! an Office document and a macro-enabled one, is refused here.

use std::io::Cursor;

use crate::i18n::Msg;

/// An allowed kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Docx,
    Xlsx,
    Png,
    Jpeg,
    /// Text with no binary control bytes; UTF-8 or not (then read approximately).
    Text,
}

impl Kind {
    /// Every allowed kind (the API's document lists their types).
    pub const ALL: [Kind; 6] = [
        Kind::Pdf,
        Kind::Docx,
        Kind::Xlsx,
        Kind::Png,
        Kind::Jpeg,
        Kind::Text,
    ];

    /// The MIME type files of this kind are served with.
    pub fn mime(self, utf8: bool) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Kind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
            Kind::Text if utf8 => "text/plain; charset=utf-8",
            Kind::Text => "text/plain",
        }
    }

    /// A short name people recognise, from a stored MIME type.
    pub fn label_of_mime(mime: &str) -> Msg {
        match mime {
            "application/pdf" => "PDF",
            m if m.ends_with("wordprocessingml.document") => "Word",
            m if m.ends_with("spreadsheetml.sheet") => "Excel",
            "image/png" | "image/jpeg" => "Ảnh",
            _ => "Văn bản",
        }
    }
}

/// Why a file is not accepted (the message says so to the person).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAllowed(pub Msg);

pub const GENERIC: Msg = "Loại tệp này không được phép. Chỉ nhận PDF, Word (DOCX), Excel (XLSX), ảnh PNG, JPEG và văn bản thuần; loại tệp được nhận biết theo nội dung, không theo tên tệp.";
pub const NOT_OFFICE: Msg = "Tệp nén (ZIP) này không phải văn bản Word (DOCX) hay bảng tính Excel (XLSX), nên không được nhận.";
pub const MACROS: Msg =
    "Tệp Office có chứa macro không được nhận. Xin lưu lại thành DOCX hoặc XLSX thường rồi gửi.";

const PNG_MAGIC: &[u8] = b"\x89PNG\r\n\x1a\n";
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// The kind of `bytes`, or why it is refused.
pub fn sniff(bytes: &[u8]) -> Result<Kind, NotAllowed> {
    if bytes.starts_with(b"%PDF-") {
        Ok(Kind::Pdf)
    } else if bytes.starts_with(PNG_MAGIC) {
        Ok(Kind::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(Kind::Jpeg)
    } else if bytes.starts_with(ZIP_MAGIC) {
        office_kind(bytes)
    } else if looks_like_text(bytes) {
        Ok(Kind::Text)
    } else {
        Err(NotAllowed(GENERIC))
    }
}

/// DOCX or XLSX by the parts the container holds: `[Content_Types].xml` plus the main
/// part of each format. A macro project anywhere refuses the file.
fn office_kind(bytes: &[u8]) -> Result<Kind, NotAllowed> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| NotAllowed(NOT_OFFICE))?;
    let has = |name: &str| archive.index_for_name(name).is_some();
    if !has("[Content_Types].xml") {
        return Err(NotAllowed(NOT_OFFICE));
    }
    if archive
        .file_names_raw()
        .any(|n| n.to_ascii_lowercase().ends_with(b"vbaproject.bin"))
    {
        return Err(NotAllowed(MACROS));
    }
    if has("word/document.xml") {
        Ok(Kind::Docx)
    } else if has("xl/workbook.xml") {
        Ok(Kind::Xlsx)
    } else {
        Err(NotAllowed(NOT_OFFICE))
    }
}

/// Text has no NUL and no control bytes other than tab, line feed, form feed and
/// carriage return; every binary format (executables included) breaks this at once.
/// Not being UTF-8 does not make it binary: old Vietnamese files are in 8-bit codes.
fn looks_like_text(bytes: &[u8]) -> bool {
    !bytes.is_empty()
        && bytes
            .iter()
            .all(|b| *b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r' | 0x0C))
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;

    use super::*;

    /// A ZIP holding `parts` (name, content), deflated as Office writes them.
    pub(crate) fn zip_of(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in parts {
            out.start_file(*name, options).expect("start");
            out.write_all(content.as_bytes()).expect("write");
        }
        out.finish().expect("finish").into_inner()
    }

    #[test]
    fn magic_numbers_decide_the_kind() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Ok(Kind::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Ok(Kind::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Ok(Kind::Jpeg));
        assert_eq!(sniff("Báo cáo tuần\r\nSố liệu".as_bytes()), Ok(Kind::Text));
        // Windows-1258 bytes: not UTF-8, still text.
        assert_eq!(sniff(b"B\xe1o c\xe1o"), Ok(Kind::Text));
    }

    #[test]
    fn office_documents_are_told_apart_by_their_parts() {
        let docx = zip_of(&[
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", "<w:document/>"),
        ]);
        assert_eq!(sniff(&docx), Ok(Kind::Docx));
        let xlsx = zip_of(&[
            ("[Content_Types].xml", "<Types/>"),
            ("xl/workbook.xml", "<workbook/>"),
        ]);
        assert_eq!(sniff(&xlsx), Ok(Kind::Xlsx));
    }

    #[test]
    fn disguised_and_unwanted_files_are_refused() {
        let exe = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0This program cannot be run in DOS mode";
        assert_eq!(sniff(exe), Err(NotAllowed(GENERIC)), "an .exe named .pdf");
        let plain_zip = zip_of(&[("notes.txt", "hello")]);
        assert_eq!(sniff(&plain_zip), Err(NotAllowed(NOT_OFFICE)));
        let odd_office = zip_of(&[
            ("[Content_Types].xml", "<Types/>"),
            ("ppt/presentation.xml", "<p/>"),
        ]);
        assert_eq!(
            sniff(&odd_office),
            Err(NotAllowed(NOT_OFFICE)),
            "no PowerPoint"
        );
        let docm = zip_of(&[
            ("[Content_Types].xml", "<Types/>"),
            ("word/document.xml", "<w:document/>"),
            ("word/vbaProject.bin", "macro"),
        ]);
        assert_eq!(sniff(&docm), Err(NotAllowed(MACROS)));
        assert_eq!(sniff(b"PK\x03\x04 truncated"), Err(NotAllowed(NOT_OFFICE)));
        assert_eq!(sniff(b"GIF89a\x01\0\x01\0"), Err(NotAllowed(GENERIC)));
        assert_eq!(sniff(b""), Err(NotAllowed(GENERIC)));
        // UTF-16 text has NUL bytes: not the plain UTF-8 text we accept.
        assert_eq!(sniff(b"\xff\xfeA\0B\0"), Err(NotAllowed(GENERIC)));
    }
}
