//! Best-effort text of a PDF without a PDF library: find the objects and streams by
//! scanning the bytes (so a damaged cross-reference table does not matter), inflate
//! `FlateDecode` streams, read the fonts' `ToUnicode` CMaps, and run the text operators
//! of the content streams (`pdf_text.rs`). Encrypted files, scanned pages and fonts
//! without a CMap give little or nothing; the attachment is then kept with a note.
//!
//! Fonts are matched to content by resource name (`/F1`) across the whole file, not
//! page by page: the first font found under a name wins. That is right for the files
//! office suites write and merely approximate for files that reuse names per page.

use std::collections::HashMap;
use std::io::Read;

use crate::i18n::Msg;

use super::extract::{Extracted, tidy};
use super::pdf_text::{CMap, content_text};

pub const NO_TEXT: Msg =
    "Không trích được chữ từ tệp PDF này (có thể là bản chụp, bản quét hoặc đã mã hóa).";

/// Most bytes inflated from one file: beyond it a PDF is a compression bomb.
const MAX_INFLATED: u64 = 64 * 1024 * 1024;

#[derive(Default)]
struct Doc {
    /// Object number → its dictionary text (for a stream, the part before `stream`).
    objects: HashMap<u32, Vec<u8>>,
    /// Object number → CMap, for streams that are CMaps.
    cmaps: HashMap<u32, CMap>,
    /// Decoded page and form content.
    contents: Vec<Vec<u8>>,
    inflated: u64,
}

pub fn extract(bytes: &[u8]) -> Extracted {
    let mut doc = Doc::default();
    doc.scan(bytes);
    let fonts = doc.fonts();
    let mut text = String::new();
    for content in &doc.contents {
        let part = content_text(content, &fonts);
        if !part.trim().is_empty() {
            text.push_str(&part);
            text.push('\n');
        }
    }
    let text = tidy(&text);
    Extracted {
        note: text.trim().is_empty().then_some(NO_TEXT),
        text,
        margins: String::new(),
    }
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

fn is_space(b: u8) -> bool {
    matches!(b, 0 | b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

/// The unsigned integer that ends just before `end`, skipping spaces; with its start.
fn int_before(bytes: &[u8], mut end: usize) -> Option<(u32, usize)> {
    while end > 0 && is_space(bytes[end - 1]) {
        end -= 1;
    }
    let mut start = end;
    while start > 0 && bytes[start - 1].is_ascii_digit() {
        start -= 1;
    }
    let n = std::str::from_utf8(&bytes[start..end]).ok()?.parse().ok()?;
    Some((n, start))
}

/// The bytes after `/Key` in a dictionary, if the key is there as a whole name.
fn after_key<'a>(dict: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    let mut from = 0;
    while let Some(i) = find(dict, key, from) {
        let rest = &dict[i + key.len()..];
        if rest
            .first()
            .is_none_or(|b| is_space(*b) || b"/<[(".contains(b))
        {
            return Some(rest);
        }
        from = i + key.len();
    }
    None
}

fn skip_space(bytes: &[u8]) -> &[u8] {
    let n = bytes.iter().take_while(|b| is_space(**b)).count();
    &bytes[n..]
}

/// The name that is the value of `/Key` (`/Type /ObjStm` → `ObjStm`).
fn name_of<'a>(dict: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    let rest = skip_space(after_key(dict, key)?).strip_prefix(b"/")?;
    let n = rest
        .iter()
        .take_while(|b| !is_space(**b) && !b"/<>[]()".contains(b))
        .count();
    Some(&rest[..n])
}

/// A direct integer value of `/Key`; `None` for an indirect reference (`12 0 R`).
fn int_of(dict: &[u8], key: &[u8]) -> Option<usize> {
    let rest = skip_space(after_key(dict, key)?);
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    let n = std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()?;
    let after = skip_space(&rest[digits..]);
    let is_reference = after.first().is_some_and(u8::is_ascii_digit)
        && skip_space(&after[after.iter().take_while(|b| b.is_ascii_digit()).count()..])
            .starts_with(b"R");
    (!is_reference).then_some(n)
}

/// The object number `/Key` refers to (`/ToUnicode 12 0 R` → 12).
fn reference_of(dict: &[u8], key: &[u8]) -> Option<u32> {
    let rest = skip_space(after_key(dict, key)?);
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()
}

/// Pairs `/Name 12 0 R` of a dictionary's body (a font resource dictionary).
fn named_references(body: &[u8]) -> Vec<(Vec<u8>, u32)> {
    let body = body.split(|b| *b == b'>').next().unwrap_or(body);
    let mut out = Vec::new();
    for entry in body.split(|b| *b == b'/').skip(1) {
        let name_len = entry.iter().take_while(|b| !is_space(**b)).count();
        let rest = skip_space(&entry[name_len..]);
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if let Some(n) = std::str::from_utf8(&rest[..digits])
            .ok()
            .and_then(|d| d.parse().ok())
        {
            out.push((entry[..name_len].to_vec(), n));
        }
    }
    out
}

impl Doc {
    /// Finds every `N G obj`, keeps its dictionary, and decodes its stream if any.
    fn scan(&mut self, bytes: &[u8]) {
        let mut pos = 0;
        while let Some(i) = find(bytes, b"obj", pos) {
            pos = i + 3;
            if i >= 3 && &bytes[i - 3..i] == b"end" {
                continue;
            }
            let Some((_generation, g_start)) = int_before(bytes, i) else {
                continue;
            };
            let Some((number, _)) = int_before(bytes, g_start) else {
                continue;
            };
            let end = find(bytes, b"endobj", pos).unwrap_or(bytes.len());
            let Some(s) = find(&bytes[..end], b"stream", pos) else {
                self.objects.insert(number, bytes[pos..end].to_vec());
                pos = end;
                continue;
            };
            let dict = &bytes[pos..s];
            let mut start = s + b"stream".len();
            if bytes.get(start) == Some(&b'\r') {
                start += 1;
            }
            if bytes.get(start) == Some(&b'\n') {
                start += 1;
            }
            let stop = match int_of(dict, b"/Length") {
                Some(len) if start.checked_add(len).is_some_and(|e| e <= bytes.len()) => {
                    start + len
                }
                _ => find(bytes, b"endstream", start).unwrap_or(bytes.len()),
            };
            self.objects.insert(number, dict.to_vec());
            self.stream(number, dict, &bytes[start..stop]);
            pos = stop;
        }
    }

    fn stream(&mut self, number: u32, dict: &[u8], raw: &[u8]) {
        let packed = name_of(dict, b"/Type") == Some(&b"ObjStm"[..]);
        let wanted = match (name_of(dict, b"/Type"), name_of(dict, b"/Subtype")) {
            (None, None) | (_, Some(b"Form")) | (Some(b"ObjStm" | b"CMap"), _) => true,
            // Images, font programs, metadata, cross-reference streams.
            _ => false,
        };
        if !wanted {
            return;
        }
        let Some(data) = self.decode(dict, raw) else {
            return;
        };
        if packed {
            self.object_stream(dict, &data);
        } else if find(&data, b"begincmap", 0).is_some() {
            self.cmaps.insert(number, CMap::parse(&data));
        } else if !dict_says_binary(dict) {
            self.contents.push(data);
        }
    }

    /// The stream's bytes once its filters are undone; `None` for filters we do not
    /// read (images, other encodings) or when the inflate budget is spent.
    fn decode(&mut self, dict: &[u8], raw: &[u8]) -> Option<Vec<u8>> {
        let filters: Vec<&[u8]> = match after_key(dict, b"/Filter").map(skip_space) {
            None => Vec::new(),
            Some(rest) if rest.starts_with(b"[") => {
                let list = rest[1..].split(|b| *b == b']').next().unwrap_or(&[]);
                list.split(|b| *b == b'/' || is_space(*b))
                    .filter(|n| !n.is_empty())
                    .collect()
            }
            Some(_) => name_of(dict, b"/Filter").into_iter().collect(),
        };
        match filters.as_slice() {
            [] => Some(raw.to_vec()),
            [f] if *f == b"FlateDecode" => {
                let budget = MAX_INFLATED.saturating_sub(self.inflated);
                let mut out = Vec::new();
                // A damaged stream still gives what inflated before the damage.
                let _ = flate2::read::ZlibDecoder::new(raw)
                    .take(budget)
                    .read_to_end(&mut out);
                self.inflated += out.len() as u64;
                (!out.is_empty()).then_some(out)
            }
            _ => None,
        }
    }

    /// The objects packed in an object stream (`/N` objects, data from `/First`).
    fn object_stream(&mut self, dict: &[u8], data: &[u8]) {
        let (Some(count), Some(first)) = (int_of(dict, b"/N"), int_of(dict, b"/First")) else {
            return;
        };
        let header = String::from_utf8_lossy(data.get(..first).unwrap_or(&[])).into_owned();
        let numbers: Vec<usize> = header
            .split_ascii_whitespace()
            .filter_map(|n| n.parse().ok())
            .collect();
        let pairs: Vec<(usize, usize)> = numbers
            .chunks_exact(2)
            .take(count)
            .map(|p| (p[0], p[1]))
            .collect();
        for (i, (number, offset)) in pairs.iter().enumerate() {
            let start = first.saturating_add(*offset);
            let end = pairs
                .get(i + 1)
                .map_or(data.len(), |(_, next)| first.saturating_add(*next));
            if let (Some(body), Ok(number)) = (data.get(start..end), u32::try_from(*number)) {
                self.objects.entry(number).or_insert_with(|| body.to_vec());
            }
        }
    }

    /// Resource name → CMap, from every `/Font` resource dictionary in the file.
    fn fonts(&self) -> HashMap<Vec<u8>, CMap> {
        let mut out = HashMap::new();
        for body in self.objects.values() {
            let Some(rest) = after_key(body, b"/Font").map(skip_space) else {
                continue;
            };
            let entries = match rest.strip_prefix(b"<<") {
                Some(inner) => named_references(inner),
                // `/Font 12 0 R`: the resource dictionary is an object of its own.
                None => reference_of(body, b"/Font")
                    .and_then(|n| self.objects.get(&n))
                    .and_then(|d| d.windows(2).position(|w| w == b"<<").map(|i| &d[i + 2..]))
                    .map(named_references)
                    .unwrap_or_default(),
            };
            for (name, font) in entries {
                let cmap = self
                    .objects
                    .get(&font)
                    .and_then(|f| reference_of(f, b"/ToUnicode"))
                    .and_then(|n| self.cmaps.get(&n));
                if let Some(cmap) = cmap {
                    out.entry(name).or_insert_with(|| cmap.clone());
                }
            }
        }
        out
    }
}

/// Streams with no `/Type` that still are not content: ICC colour profiles and font
/// programs.
fn dict_says_binary(dict: &[u8]) -> bool {
    [&b"/Length1"[..], b"/Length2", b"/Alternate", b"/N"]
        .iter()
        .any(|k| after_key(dict, k).is_some())
}

#[cfg(test)]
pub(crate) mod tests {
    use std::io::Write;

    use super::*;

    /// A small valid PDF whose page shows `content` (deflated when `compress`), with an
    /// optional ToUnicode CMap on font F1.
    pub(crate) fn pdf_with(content: &[u8], compress: bool, cmap: Option<&str>) -> Vec<u8> {
        let data = if compress {
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            z.write_all(content).expect("deflate");
            z.finish().expect("deflate")
        } else {
            content.to_vec()
        };
        let filter = if compress {
            " /Filter /FlateDecode"
        } else {
            ""
        };
        let to_unicode = if cmap.is_some() {
            " /ToUnicode 6 0 R"
        } else {
            ""
        };
        let mut out = b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n".to_vec();
        let mut offsets = Vec::new();
        let mut object = |out: &mut Vec<u8>, body: &[u8]| {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", offsets.len()).as_bytes());
            out.extend_from_slice(body);
            out.extend_from_slice(b"\nendobj\n");
        };
        object(&mut out, b"<< /Type /Catalog /Pages 2 0 R >>");
        object(&mut out, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        object(&mut out, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>");
        let mut stream = format!("<< /Length {}{filter} >>\nstream\n", data.len()).into_bytes();
        stream.extend_from_slice(&data);
        stream.extend_from_slice(b"\nendstream");
        object(&mut out, &stream);
        object(
            &mut out,
            format!("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica{to_unicode} >>")
                .as_bytes(),
        );
        if let Some(cmap) = cmap {
            object(
                &mut out,
                format!("<< /Length {} >>\nstream\n{cmap}\nendstream", cmap.len()).as_bytes(),
            );
        }
        let xref = out.len();
        out.extend_from_slice(
            format!("xref\n0 {}\n0000000000 65535 f \n", offsets.len() + 1).as_bytes(),
        );
        for o in &offsets {
            out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
        }
        out.extend_from_slice(
            format!(
                "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
                offsets.len() + 1
            )
            .as_bytes(),
        );
        out
    }

    #[test]
    fn uncompressed_and_deflated_content_give_their_text() {
        let content =
            b"BT /F1 12 Tf 72 770 Td (Bao cao tuan) Tj 0 -16 Td [(So ca) -400 (moi)] TJ ET";
        for compress in [false, true] {
            let got = extract(&pdf_with(content, compress, None));
            assert_eq!(
                got.text, "Bao cao tuan\nSo ca moi",
                "compressed: {compress}"
            );
            assert_eq!(got.note, None);
        }
    }

    #[test]
    fn tounicode_cmaps_give_vietnamese_text() {
        let cmap = "/CIDInit /ProcSet findresource begin begincmap\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
                    6 beginbfchar <0001> <0054> <0002> <1ED0> <0003> <0049> <0004> <0020> <0005> <004D> <0006> <1EAC> endbfchar\nendcmap";
        let content = b"BT /F1 14 Tf 72 800 Td <00010002000300040005000600 01> Tj ET";
        let got = extract(&pdf_with(content, true, Some(cmap)));
        assert_eq!(got.text, "TỐI MẬT");
    }

    #[test]
    fn a_pdf_without_text_is_noted_and_junk_never_panics() {
        let got = extract(&pdf_with(b"0 0 m 100 100 l S", true, None));
        assert_eq!((got.text.as_str(), got.note), ("", Some(NO_TEXT)));
        for junk in [&b"%PDF-1.4 1 0 obj << /Length 99999 >> stream\nabc"[..], b"%PDF- obj obj endobj stream", b"%PDF-1.5\n1 0 obj<</Type/ObjStm/N 5/First 999/Filter/FlateDecode/Length 3>>stream\nxyz"] {
            let _ = extract(junk);
        }
    }
}
