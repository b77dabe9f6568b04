//! A document's text as the index keeps it:
//! - *folded*: every syllable of its label and body with no diacritics (đ → d), in
//!   order, so that phrases match however they were typed;
//! - *exact*: each spelling with diacritics that the document holds (one tone
//!   placement, lower case), once: "the words as typed" is a phrase of folded
//!   syllables whose marked spellings the document also holds (see `query.rs`). A
//!   second positional copy of every syllable would double what the index writes for
//!   a ranking nuance;
//! - *title*: the label's folded syllables as title terms, in order, then the label's
//!   distinct marked spellings once each, as title terms too (so "as typed, in the
//!   title" reads only titles' lists).
//!
//! The query side reads text the same way.
//!
//! Vietnamese text repeats a few thousand syllables, so the [`Analyzer`] keeps the two
//! forms of every spelling it has seen: most tokens cost a hash lookup, not a Unicode
//! normalisation.

use std::collections::HashMap;

/// Most text indexed from one document (an attachment can be a whole book).
pub const MAX_INDEXED_BYTES: usize = 1_000_000;

/// Spellings remembered at most; past this the memory starts again (pasted numbers,
/// codes and foreign words are many).
const MAX_REMEMBERED: usize = 200_000;

/// A spelling's two forms.
struct Forms {
    /// Which distinct exact form this is (raw spellings in NFD, in capitals or with
    /// the other tone placement share one), or `None` when it has no diacritics.
    marked: Option<u32>,
    exact: Box<str>,
    folded: Box<str>,
}

/// Turns text into the index's columns, remembering the forms of the spellings it has
/// seen. One per indexer.
#[derive(Default)]
pub struct Analyzer {
    /// Raw spelling → where its syllables' forms are in `forms` (first, how many): none
    /// when it holds only invisible characters, several when syllables lost their
    /// spaces (`phản\u{AD}ánh`).
    seen: HashMap<Box<str>, (u32, u32), foldhash::fast::RandomState>,
    forms: Vec<Forms>,
    /// Exact form → its number (`Forms::marked`).
    marks: HashMap<Box<str>, u32, foldhash::fast::RandomState>,
    /// For each mark number, the last document it was written for: each document's
    /// column holds a mark once, without sorting.
    written_for: Vec<u32>,
    documents: u32,
    /// How many distinct marked spellings the label of the last document had: the
    /// first that many of its exact column.
    label_marks: usize,
}

/// A document with its text in the index's forms.
pub struct Analysed {
    pub doc: super::Doc,
    /// The distinct spellings with diacritics.
    pub exact: String,
    pub folded: String,
    /// The title's syllables as title terms (with a case's number, searched but not
    /// shown): see [`super::query::title_token`].
    pub title: String,
}

impl Analyzer {
    /// `doc` in the index's three text columns.
    pub fn analyse(&mut self, doc: super::Doc) -> Analysed {
        let (mut exact, mut folded) = (String::new(), String::new());
        // A case's number is searched as part of its title, not shown in it.
        let named = match doc.source {
            super::Source::Case => format!("{} {}", doc.case_number, doc.label),
            super::Source::Attachment => doc.label.clone(),
        };
        let label_tokens = self.forms(&named, &doc.body, &mut exact, &mut folded);
        // The title's syllables are the first of the folded column, as title terms;
        // its marked spellings the first of the exact column.
        let mut title = String::new();
        for syllable in folded.split(' ').take(label_tokens) {
            if !title.is_empty() {
                title.push(' ');
            }
            title.push_str(&super::query::title_token(syllable));
        }
        for marked in exact.split(' ').take(self.label_marks) {
            title.push(' ');
            title.push_str(&super::query::title_token(marked));
        }
        Analysed {
            doc,
            exact,
            folded,
            title,
        }
    }

    /// Appends the folded syllables of `label` then `body` to `folded` and their
    /// distinct marked spellings to `exact`; returns how many syllables the label had.
    pub fn forms(
        &mut self,
        label: &str,
        body: &str,
        exact: &mut String,
        folded: &mut String,
    ) -> usize {
        let mut label_tokens = 0;
        self.label_marks = 0;
        self.documents = self.documents.wrapping_add(1);
        for (i, text) in [label, body].into_iter().enumerate() {
            for (start, end) in vntext::spans(indexed_part(text)) {
                let (first, count) = self.spelling(&text[start..end]);
                for at in first..first + count {
                    let forms = &self.forms[at as usize];
                    if !folded.is_empty() {
                        folded.push(' ');
                    }
                    folded.push_str(&forms.folded);
                    if let Some(mark) = forms.marked {
                        let last = &mut self.written_for[mark as usize];
                        if *last != self.documents {
                            *last = self.documents;
                            if !exact.is_empty() {
                                exact.push(' ');
                            }
                            exact.push_str(&forms.exact);
                            if i == 0 {
                                self.label_marks += 1;
                            }
                        }
                    }
                    if i == 0 {
                        label_tokens += 1;
                    }
                }
            }
        }
        label_tokens
    }

    /// Where in `forms` the syllables of `raw` are: (first, how many).
    fn spelling(&mut self, raw: &str) -> (u32, u32) {
        if let Some(at) = self.seen.get(raw) {
            return *at;
        }
        if self.seen.len() >= MAX_REMEMBERED {
            // Starting again mid-document may write a mark twice: harmless.
            self.seen.clear();
            self.forms.clear();
            self.marks.clear();
            self.written_for.clear();
        }
        let first = self.forms.len() as u32;
        for token in vntext::tokens(raw) {
            let (exact, folded) = (token.text, token.folded.into_boxed_str());
            let marked = (*exact != *folded).then(|| {
                let next = self.marks.len() as u32;
                *self.marks.entry(exact.as_str().into()).or_insert_with(|| {
                    self.written_for.push(0);
                    next
                })
            });
            self.forms.push(Forms {
                marked,
                exact: exact.into_boxed_str(),
                folded,
            });
        }
        let at = (first, self.forms.len() as u32 - first);
        self.seen.insert(raw.into(), at);
        at
    }
}

/// The first [`MAX_INDEXED_BYTES`] of `text`, cut at a character boundary.
fn indexed_part(text: &str) -> &str {
    if text.len() <= MAX_INDEXED_BYTES {
        return text;
    }
    let mut cut = MAX_INDEXED_BYTES;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_in_order_exact_once_each() {
        let (mut e, mut f) = (String::new(), String::new());
        let mut a = Analyzer::default();
        let n = a.forms(
            "Tranh chấp ĐẤT ĐAI",
            "Tỉnh uỷ, 123/QĐ-UBND; đất",
            &mut e,
            &mut f,
        );
        assert_eq!(n, 4);
        assert_eq!(f, "tranh chap dat dai tinh uy 123 qd ubnd dat");
        assert_eq!(e, "chấp đất đai tỉnh ủy qđ", "each once, as first seen");
    }

    #[test]
    fn the_title_holds_its_syllables_then_its_marked_spellings() {
        let mut a = Analyzer::default();
        let doc = crate::search::Doc {
            source: crate::search::Source::Attachment,
            ref_id: 1,
            case_id: 1,
            case_number: "VV-2026-0001".into(),
            label: "Bán hàng rong bán lẻ".into(),
            body: "bàn hàng".into(),
            at: 0,
            orgs: vec![1],
            kind: "incident".into(),
            state: "reported".into(),
            field_id: None,
            agency_id: 1,
            year: 2026,
        };
        let analysed = a.analyse(doc);
        assert_eq!(
            analysed.title,
            "t_ban t_hang t_rong t_ban t_le t_bán t_hàng t_lẻ"
        );
        assert_eq!(analysed.exact, "bán hàng lẻ bàn");
    }

    #[test]
    fn remembering_changes_nothing() {
        let text =
            "Hoà bình, hòa BÌNH; ho\u{0300}a bi\u{0300}nh \u{200D} đất\u{200D}đai phản\u{AD}ánh";
        let mut a = Analyzer::default();
        let once = {
            let (mut e, mut f) = (String::new(), String::new());
            a.forms("", text, &mut e, &mut f);
            (e, f)
        };
        let again = {
            let (mut e, mut f) = (String::new(), String::new());
            a.forms("", text, &mut e, &mut f);
            (e, f)
        };
        assert_eq!(once, again);
        assert!(once.1.ends_with("dat dai phan anh"), "{once:?}");
        let tokens: Vec<vntext::Token> = vntext::tokens(text).collect();
        let folded: Vec<&str> = tokens.iter().map(|t| t.folded.as_str()).collect();
        assert_eq!(once.1, folded.join(" "));
        let mut marked: Vec<&str> = tokens
            .iter()
            .filter(|t| t.text != t.folded)
            .map(|t| t.text.as_str())
            .collect();
        let mut seen = Vec::new();
        marked.retain(|m| {
            let first = !seen.contains(m);
            seen.push(*m);
            first
        });
        assert_eq!(once.0, marked.join(" "));
    }

    #[test]
    fn a_long_text_is_cut_on_a_character() {
        let text = "đ".repeat(MAX_INDEXED_BYTES);
        let part = indexed_part(&text);
        assert!(part.len() <= MAX_INDEXED_BYTES && part.len() > MAX_INDEXED_BYTES - 2);
    }
}
