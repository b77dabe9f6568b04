//! Snippets: a few lines of the original text around the words found, with those words
//! marked, in the spelling the author used (the index compares normalised forms; the
//! reader sees what was written).

use serde::Serialize;

use crate::kit::escape_html_into;

/// How far into a long text a snippet is looked for.
const SCAN_BYTES: usize = 200_000;
/// Syllables shown before the first word found, and in all.
const BEFORE: usize = 8;
const WIDTH: usize = 36;

/// A run of text, marked when it is a word of the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Piece {
    pub text: String,
    pub mark: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Snippet {
    pub pieces: Vec<Piece>,
    /// Text was left out before / after.
    pub cut_start: bool,
    pub cut_end: bool,
}

impl Snippet {
    /// The text without marks.
    pub fn plain(&self) -> String {
        let mut out = String::new();
        if self.cut_start {
            out.push('…');
        }
        for p in &self.pieces {
            out.push_str(&p.text);
        }
        if self.cut_end {
            out.push('…');
        }
        out
    }

    /// The text as HTML, escaped, with `<mark>` around the words found.
    pub fn html(&self) -> String {
        let mut out = String::new();
        if self.cut_start {
            out.push('…');
        }
        for p in &self.pieces {
            if p.mark {
                out.push_str("<mark>");
            }
            escape_html_into(&mut out, &p.text);
            if p.mark {
                out.push_str("</mark>");
            }
        }
        if self.cut_end {
            out.push('…');
        }
        out
    }

    pub fn has_marks(&self) -> bool {
        self.pieces.iter().any(|p| p.mark)
    }
}

/// The query's words in the two forms: as typed (canonical) and folded.
#[derive(Debug, Clone, Default)]
pub struct Terms {
    pub words: Vec<crate::search::query::Term>,
}

impl Terms {
    fn len(&self) -> usize {
        self.words.len()
    }
}

/// Byte spans of `text`'s tokens, marked where they are words of the query. A word
/// typed with diacritics marks its own spelling when the text has it, so "Tỉnh ủy"
/// marks *Tỉnh uỷ* and not *tình*; otherwise (and for words typed without any) every
/// token with the same letters is marked.
fn spans(text: &str, terms: &Terms) -> Vec<(usize, usize, bool)> {
    let tokens: Vec<vntext::Token> = vntext::tokens(text).collect();
    let strict: Vec<bool> = terms
        .words
        .iter()
        .map(|w| w.exact != w.folded && tokens.iter().any(|t| t.text == w.exact))
        .collect();
    tokens
        .iter()
        .map(|t| {
            let mark = terms.words.iter().zip(&strict).any(|(w, strict)| {
                if *strict {
                    t.text == w.exact
                } else {
                    t.folded == w.folded
                }
            });
            (t.start, t.end, mark)
        })
        .collect()
}

/// All of `text` (a title), with the query's words marked.
pub fn whole(text: &str, terms: &Terms) -> Snippet {
    let spans = spans(text, terms);
    pieces(text, &spans, 0, text.len())
}

/// A window of `text` around the first place the query's words occur (two in a row
/// preferred), or `None` when none occurs in the part looked at.
pub fn around(text: &str, terms: &Terms) -> Option<Snippet> {
    let scan = match text.char_indices().find(|(i, _)| *i >= SCAN_BYTES) {
        Some((cut, _)) => &text[..cut],
        None => text,
    };
    let spans = spans(scan, terms);
    let first = spans.iter().position(|s| s.2)?;
    let paired = spans.windows(2).position(|w| w[0].2 && w[1].2);
    let at = match paired {
        Some(p) if terms.len() > 1 => p,
        _ => first,
    };
    let from = at.saturating_sub(BEFORE);
    let to = (from + WIDTH).min(spans.len());
    let window = &spans[from..to];
    let start = if from == 0 { 0 } else { window[0].0 };
    let end = if to == spans.len() {
        text.len()
    } else {
        window[window.len() - 1].1
    };
    let mut snippet = pieces(text, window, start, end);
    snippet.cut_start = start > 0;
    snippet.cut_end = end < text.len();
    Some(snippet)
}

/// `text[start..end]` cut at the marked spans.
fn pieces(text: &str, spans: &[(usize, usize, bool)], start: usize, end: usize) -> Snippet {
    let mut out = Snippet::default();
    let mut at = start;
    let push = |out: &mut Snippet, piece: &str, mark: bool| {
        if piece.is_empty() {
            return;
        }
        // Runs of whitespace (line breaks in a document) read as one space.
        let piece: String = if mark {
            piece.to_owned()
        } else {
            collapse_space(piece)
        };
        match out.pieces.last_mut() {
            Some(last) if last.mark == mark => last.text.push_str(&piece),
            _ => out.pieces.push(Piece { text: piece, mark }),
        }
    };
    for &(s, e, mark) in spans.iter().filter(|s| s.2) {
        if s < at || e > end {
            continue;
        }
        // Spaces between two marked words belong to the mark: one phrase, one mark.
        let gap = &text[at..s];
        let joins = out.pieces.last().is_some_and(|p| p.mark)
            && !gap.is_empty()
            && gap.chars().all(char::is_whitespace);
        push(&mut out, gap, joins);
        push(&mut out, &text[s..e], mark);
        at = e;
    }
    push(&mut out, &text[at..end], false);
    out
}

fn collapse_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(words: &[&str]) -> Terms {
        crate::search::parse(&words.join(" ")).snippet_terms()
    }

    #[test]
    fn prefers_the_spelling_typed() {
        let s = whole("Tỉnh uỷ nắm tình hình", &terms(&["Tỉnh", "ủy"]));
        assert_eq!(s.html(), "<mark>Tỉnh uỷ</mark> nắm tình hình");
        let s = whole("Tỉnh uỷ nắm tình hình", &terms(&["tinh", "uy"]));
        assert_eq!(s.html(), "<mark>Tỉnh uỷ</mark> nắm <mark>tình</mark> hình");
        let s = whole(
            "Tranh chấp đất đai ở xã Ia Chim",
            &terms(&["tranh chap dat Ia"]),
        );
        assert_eq!(
            s.html(),
            "<mark>Tranh chấp đất</mark> đai ở xã <mark>Ia</mark> Chim"
        );
    }

    #[test]
    fn marks_words_in_the_spelling_written() {
        let s = whole("Tranh chấp ĐẤT ĐAI ở xã Ia Chim", &terms(&["dat", "dai"]));
        assert_eq!(s.html(), "Tranh chấp <mark>ĐẤT ĐAI</mark> ở xã Ia Chim");
        let s = whole("Báo cáo của Tỉnh uỷ", &terms(&["uy"]));
        assert_eq!(s.html(), "Báo cáo của Tỉnh <mark>uỷ</mark>");
    }

    #[test]
    fn windows_long_text_around_the_pair() {
        let text = format!(
            "{} đất nông nghiệp {} tranh chấp đất   đai kéo dài {}",
            "mở đầu ".repeat(40),
            "giữa ".repeat(30),
            "kết ".repeat(40)
        );
        let s = around(&text, &terms(&["dat", "dai"])).expect("found");
        assert!(s.cut_start && s.cut_end);
        assert!(s.html().contains("<mark>đất   đai</mark>"), "{}", s.html());
        assert!(!s.plain().contains("nông"));
        assert!(around("không có gì", &terms(&["dat"])).is_none());
    }

    #[test]
    fn escapes_html() {
        let s = whole("<b>đất</b> & \"đai\"", &terms(&["dat"]));
        assert_eq!(
            s.html(),
            "&lt;b&gt;<mark>đất</mark>&lt;/b&gt; &amp; &quot;đai&quot;"
        );
    }
}
