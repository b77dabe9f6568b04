//! Reading the text operators of PDF content streams (`Tj`, `TJ`, `'`, `"`), with line
//! breaks where the text position moves to another line, and the `ToUnicode` CMaps
//! that say which characters a font's codes stand for (how Vietnamese text is written
//! by office suites: two-byte glyph codes, not characters). Best effort by design: no
//! glyph widths, no graphics state beyond the text matrix.

use std::collections::HashMap;

use super::pdf_lex::{Lexer, Token};

/// Codes of one font to the text they stand for.
#[derive(Debug, Default, Clone)]
pub struct CMap {
    /// Bytes per code (1 or 2), from the first mapping.
    width: usize,
    map: HashMap<u32, String>,
}

/// Longest `bfrange` expanded: a CMap is small; a huge range is a trap.
const MAX_RANGE: u32 = 0x1_0000;

impl CMap {
    /// Reads the `bfchar` and `bfrange` sections of a CMap stream.
    pub fn parse(data: &[u8]) -> CMap {
        let mut cmap = CMap::default();
        let mut lexer = Lexer::new(data);
        let mut operands: Vec<Token> = Vec::new();
        while let Some(token) = lexer.next_token() {
            match token {
                Token::Op(op) if op == b"endbfchar" => {
                    for pair in operands.chunks_exact(2) {
                        if let [Token::Str(src), Token::Str(dst)] = pair {
                            cmap.insert(src, code_of(src), utf16(dst));
                        }
                    }
                    operands.clear();
                }
                Token::Op(op) if op == b"endbfrange" => {
                    for triple in operands.chunks_exact(3) {
                        let [Token::Str(lo), Token::Str(hi), dst] = triple else {
                            continue;
                        };
                        let (first, last) = (code_of(lo), code_of(hi));
                        for (i, code) in
                            (first..=last.min(first.saturating_add(MAX_RANGE))).enumerate()
                        {
                            let text = match dst {
                                Token::Str(base) => utf16(&bumped(base, i)),
                                Token::Array(items) => match items.get(i) {
                                    Some(Token::Str(s)) => utf16(s),
                                    _ => continue,
                                },
                                _ => continue,
                            };
                            cmap.insert(lo, code, text);
                        }
                    }
                    operands.clear();
                }
                Token::Op(_) => operands.clear(),
                other => operands.push(other),
            }
        }
        cmap
    }

    fn insert(&mut self, src: &[u8], code: u32, text: String) {
        if self.width == 0 {
            self.width = src.len().clamp(1, 4);
        }
        self.map.insert(code, text);
    }

    fn decode(&self, bytes: &[u8], out: &mut String) {
        for chunk in bytes.chunks(self.width.max(1)) {
            if let Some(text) = self.map.get(&code_of(chunk)) {
                out.push_str(text);
            }
        }
    }
}

fn code_of(bytes: &[u8]) -> u32 {
    bytes
        .iter()
        .take(4)
        .fold(0, |acc, b| (acc << 8) | u32::from(*b))
}

/// `base` with its last byte pair raised by `by` (a `bfrange` maps consecutive codes
/// to consecutive characters).
fn bumped(base: &[u8], by: usize) -> Vec<u8> {
    let mut out = base.to_vec();
    if out.len() >= 2 {
        let n = out.len();
        let last = u16::from_be_bytes([out[n - 2], out[n - 1]]).wrapping_add(by as u16);
        out[n - 2..].copy_from_slice(&last.to_be_bytes());
    }
    out
}

fn utf16(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], c.get(1).copied().unwrap_or(0)]))
        .collect();
    String::from_utf16_lossy(&units)
}

/// A string without a CMap: UTF-16 with its byte-order mark, else one byte a character
/// (PDFDocEncoding agrees with Latin-1 on the letters that matter here).
fn plain_string(bytes: &[u8], out: &mut String) {
    match bytes.strip_prefix(b"\xFE\xFF") {
        Some(rest) => out.push_str(&utf16(rest)),
        None => out.extend(bytes.iter().map(|b| char::from(*b))),
    }
}

/// The text state we follow: font, size and where the current line is.
struct Reader<'a> {
    fonts: &'a HashMap<Vec<u8>, CMap>,
    font: Option<&'a CMap>,
    size: f64,
    leading: f64,
    /// Text line matrix (a b c d e f).
    line: [f64; 6],
    last_y: Option<f64>,
    moved: bool,
    out: String,
}

impl Reader<'_> {
    fn move_by(&mut self, tx: f64, ty: f64) {
        let [a, b, c, d, e, f] = self.line;
        self.line = [a, b, c, d, tx * a + ty * c + e, tx * b + ty * d + f];
        self.moved = true;
    }

    fn show(&mut self, bytes: &[u8]) {
        let y = self.line[5];
        let height = (self.size * self.line[3].abs().max(self.line[1].abs())).max(1.0);
        match self.last_y {
            Some(last) if (y - last).abs() > height * 0.5 => self.out.push('\n'),
            Some(_) if self.moved && !self.out.ends_with(char::is_whitespace) => self.out.push(' '),
            _ => {}
        }
        self.last_y = Some(y);
        self.moved = false;
        match self.font {
            Some(cmap) => cmap.decode(bytes, &mut self.out),
            None => plain_string(bytes, &mut self.out),
        }
    }
}

/// The text shown by one content stream; `fonts` maps resource names (`F1`) to CMaps.
pub fn content_text(data: &[u8], fonts: &HashMap<Vec<u8>, CMap>) -> String {
    let mut r = Reader {
        fonts,
        font: None,
        size: 10.0,
        leading: 0.0,
        line: [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
        last_y: None,
        moved: false,
        out: String::new(),
    };
    let mut lexer = Lexer::new(data);
    let mut ops: Vec<Token> = Vec::new();
    let num = |ops: &[Token], i: usize| match ops.get(i) {
        Some(Token::Num(n)) => *n,
        _ => 0.0,
    };
    while let Some(token) = lexer.next_token() {
        let Token::Op(op) = token else {
            ops.push(token);
            continue;
        };
        match op.as_slice() {
            b"BT" => r.line = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
            b"Tf" => {
                r.font = match ops.first() {
                    Some(Token::Name(name)) => r.fonts.get(name),
                    _ => None,
                };
                r.size = num(&ops, 1).abs().max(1.0);
            }
            b"Tm" if ops.len() >= 6 => {
                r.line = std::array::from_fn(|i| num(&ops, i));
                r.moved = true;
            }
            b"Td" => r.move_by(num(&ops, 0), num(&ops, 1)),
            b"TD" => {
                r.leading = -num(&ops, 1);
                r.move_by(num(&ops, 0), num(&ops, 1));
            }
            b"TL" => r.leading = num(&ops, 0),
            b"T*" => r.move_by(0.0, -r.leading),
            b"Tj" | b"'" | b"\"" => {
                if op != b"Tj" {
                    r.move_by(0.0, -r.leading);
                }
                if let Some(Token::Str(s)) = ops.last() {
                    r.show(s);
                }
            }
            b"TJ" => {
                if let Some(Token::Array(items)) = ops.last() {
                    for item in items {
                        match item {
                            Token::Str(s) => r.show(s),
                            // A wide negative adjustment is a gap between words.
                            Token::Num(n) if *n < -250.0 => r.out.push(' '),
                            _ => {}
                        }
                    }
                }
            }
            b"ET" => {}
            b"ID" => lexer.skip_inline_image(),
            _ => {}
        }
        ops.clear();
    }
    r.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_operators_give_lines() {
        let content = b"BT /F1 12 Tf 72 720 Td (B\\303\\241o c\\341o) Tj 0 -14 Td [(Hello) -300 (world)] TJ \
                        14 TL T* (skip) Tj ET q BI /W 1 ID \x00\xff EI Q BT 1 0 0 1 72 600 Tm (Next) Tj 1 0 0 1 140 600 Tm (line) Tj ET";
        let text = content_text(content, &HashMap::new());
        assert_eq!(
            text,
            "B\u{c3}\u{a1}o c\u{e1}o\nHello world\nskip\nNext line"
        );
    }

    #[test]
    fn tounicode_cmaps_turn_glyph_codes_into_text() {
        let cmap = CMap::parse(
            b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n\
              1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
              3 beginbfchar <0003> <0020> <0010> <1EAC> <0022> <004D> endbfchar\n\
              2 beginbfrange <0020> <0021> <0054> <0030> <0031> [<1ED0> <0049>] endbfrange\n\
              endcmap",
        );
        let mut out = String::new();
        cmap.decode(
            &[0, 0x20, 0, 0x30, 0, 0x31, 0, 3, 0, 0x22, 0, 0x10, 0, 0x20],
            &mut out,
        );
        assert_eq!(out, "TỐI MẬT");
        let fonts = HashMap::from([(b"F2".to_vec(), cmap)]);
        let text = content_text(b"BT /F2 11 Tf <0022001000200003> Tj ET", &fonts);
        assert_eq!(text, "MẬT ");
    }

    #[test]
    fn broken_content_never_panics() {
        for junk in [
            &b"(unclosed \\"[..],
            b"<abc",
            b"[ (a) 5",
            b"\\\\ ) ] >> << /",
            b"BT Tf Tm TJ ' \" ID",
        ] {
            let _ = content_text(junk, &HashMap::new());
            let _ = CMap::parse(junk);
        }
    }
}
