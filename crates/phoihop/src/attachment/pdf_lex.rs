//! The tokens of PDF content and CMap streams: strings (literal and hex), numbers,
//! names, arrays and operators, as `pdf_text.rs` reads them. Anything else (dictionary
//! brackets, stray bytes) is one opaque token, so damaged input never stops the scan.

#[derive(Debug, Clone)]
pub(super) enum Token {
    Str(Vec<u8>),
    Num(f64),
    Name(Vec<u8>),
    Array(Vec<Token>),
    Op(Vec<u8>),
    /// Dictionary brackets and anything else that is not an operand we read.
    Other,
}

pub(super) struct Lexer<'a> {
    data: &'a [u8],
    pos: usize,
    /// Arrays being read; bounded so that `[[[[…` cannot exhaust the stack.
    depth: usize,
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    ) || is_space(b)
}

fn is_space(b: u8) -> bool {
    matches!(b, 0 | b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

impl<'a> Lexer<'a> {
    pub(super) fn new(data: &'a [u8]) -> Lexer<'a> {
        Lexer {
            data,
            pos: 0,
            depth: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.data.get(self.pos).copied()
    }

    fn word(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(|b| !is_delimiter(b)) {
            self.pos += 1;
        }
        &self.data[start..self.pos]
    }

    pub(super) fn next_token(&mut self) -> Option<Token> {
        loop {
            match self.peek()? {
                b if is_space(b) => self.pos += 1,
                b'%' => {
                    while self.peek().is_some_and(|b| b != b'\n' && b != b'\r') {
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
        let b = self.peek()?;
        self.pos += 1;
        Some(match b {
            b'(' => Token::Str(self.literal()),
            b'<' if self.peek() == Some(b'<') => {
                self.pos += 1;
                Token::Other
            }
            b'<' => Token::Str(self.hex()),
            b'>' | b')' | b'{' | b'}' => {
                if self.peek() == Some(b'>') {
                    self.pos += 1;
                }
                Token::Other
            }
            b'[' if self.depth >= 8 => Token::Other,
            b'[' => {
                self.depth += 1;
                let mut items = Vec::new();
                while let Some(t) = self.next_token() {
                    match t {
                        Token::Op(op) if op == b"]" => break,
                        t => items.push(t),
                    }
                }
                self.depth -= 1;
                Token::Array(items)
            }
            b']' => Token::Op(b"]".to_vec()),
            b'/' => Token::Name(self.word().to_vec()),
            _ => {
                self.pos -= 1;
                let word = self.word();
                if word.is_empty() {
                    self.pos += 1; // a stray delimiter byte
                    return Some(Token::Other);
                }
                match std::str::from_utf8(word).ok().and_then(|w| w.parse().ok()) {
                    Some(n) => Token::Num(n),
                    None => Token::Op(word.to_vec()),
                }
            }
        })
    }

    fn literal(&mut self) -> Vec<u8> {
        let (mut out, mut depth) = (Vec::new(), 1usize);
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                b'\\' => {
                    let Some(e) = self.peek() else { break };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'0'..=b'7' => {
                            let mut value = u32::from(e - b'0');
                            for _ in 0..2 {
                                match self.peek() {
                                    Some(d @ b'0'..=b'7') => {
                                        value = value * 8 + u32::from(d - b'0');
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((value & 0xFF) as u8);
                        }
                        b'\r' => {
                            if self.peek() == Some(b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        other => out.push(other),
                    }
                    continue;
                }
                _ => {}
            }
            out.push(b);
        }
        out
    }

    fn hex(&mut self) -> Vec<u8> {
        let mut digits = Vec::new();
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'>' => break,
                b if b.is_ascii_hexdigit() => digits.push(b),
                _ => {}
            }
        }
        if digits.len() % 2 == 1 {
            digits.push(b'0');
        }
        digits
            .chunks(2)
            .filter_map(|p| u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok())
            .collect()
    }

    /// Skips an inline image's data, from after `ID` to its `EI`.
    pub(super) fn skip_inline_image(&mut self) {
        let rest = &self.data[self.pos..];
        let end = rest
            .windows(4)
            .position(|w| is_space(w[0]) && &w[1..3] == b"EI" && is_space(w[3]))
            .map_or(rest.len(), |i| i + 3);
        self.pos += end;
    }
}
