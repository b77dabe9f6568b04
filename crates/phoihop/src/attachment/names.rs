//! The names of attachments: as kept (the name the sender gave, cleaned of what could
//! mislead or break a page) and as sent back in `Content-Disposition`.

/// The name to keep: the last part of what the browser sent (old ones send a whole
/// path), NFC, without control or direction-override characters (which can make
/// `exe.pdf` read as `fdp.exe`), at most 200 characters.
pub fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = vntext::normalize(base)
        .chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .take(200)
        .collect();
    match name.trim() {
        "" => "tep-dinh-kem".to_owned(),
        trimmed => trimmed.to_owned(),
    }
}

/// `attachment` with the name twice: an ASCII fallback for old clients and the exact
/// name percent-encoded (RFC 6266), so no quote, semicolon or line break in a name can
/// reach the header.
pub fn content_disposition(name: &str) -> String {
    let fallback: String = vntext::fold(name)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | '(' | ')') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_their_words_and_lose_their_tricks() {
        assert_eq!(clean_file_name("C:\\Users\\a\\Báo cáo.pdf"), "Báo cáo.pdf");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("ba\u{0301}o\r\n.txt"), "báo.txt");
        assert_eq!(
            clean_file_name("tai-lieu\u{202E}fdp.exe"),
            "tai-lieufdp.exe"
        );
        assert_eq!(clean_file_name("  "), "tep-dinh-kem");
    }

    #[test]
    fn content_disposition_cannot_be_broken_by_a_name() {
        let header = content_disposition("Báo cáo \"số 1\"; x=1\r\nSet-Cookie: a.pdf");
        assert!(!header.contains(['\r', '\n']), "{header}");
        assert_eq!(
            header,
            "attachment; filename=\"bao cao _so 1__ x_1__set-cookie_ a.pdf\"; \
             filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20%22s%E1%BB%91%201%22%3B%20x%3D1%0D%0ASet-Cookie%3A%20a.pdf"
        );
    }
}
