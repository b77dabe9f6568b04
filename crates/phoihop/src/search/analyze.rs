//! A document's text as the index keeps it: the syllables of its label and body, once
//! in the *exact* form (diacritics kept, one tone placement, lower case) and once
//! *folded* (no diacritics, đ → d), positions aligned so that a phrase matches in
//! either column. The query side reads text the same way (see `query.rs`).
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

/// The two forms of a raw spelling; `None` when it holds only joiners.
type Forms = Option<(Box<str>, Box<str>)>;

/// Turns text into the index's two columns, remembering the forms of the spellings it
/// has seen. One per indexer.
#[derive(Default)]
pub struct Analyzer {
    seen: HashMap<Box<str>, Forms>,
}

/// A document with its text in the index's forms.
pub struct Analysed {
    pub doc: super::Doc,
    pub exact: String,
    pub folded: String,
    /// The folded syllables of the title (with a case's number, searched but not shown).
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
        // The title's syllables are the first of the folded column.
        let title = folded
            .split(' ')
            .take(label_tokens)
            .collect::<Vec<_>>()
            .join(" ");
        Analysed {
            doc,
            exact,
            folded,
            title,
        }
    }

    /// Appends the two forms of `label` then `body` to `exact` and `folded`; returns
    /// how many syllables the label had.
    pub fn forms(
        &mut self,
        label: &str,
        body: &str,
        exact: &mut String,
        folded: &mut String,
    ) -> usize {
        let mut label_tokens = 0;
        for (i, text) in [label, body].into_iter().enumerate() {
            let text = match text.char_indices().find(|(i, _)| *i >= MAX_INDEXED_BYTES) {
                Some((cut, _)) => &text[..cut],
                None => text,
            };
            for (start, end) in vntext::spans(text) {
                let Some((e, f)) = self.spelling(&text[start..end]) else {
                    continue;
                };
                if !exact.is_empty() {
                    exact.push(' ');
                    folded.push(' ');
                }
                exact.push_str(e);
                folded.push_str(f);
                if i == 0 {
                    label_tokens += 1;
                }
            }
        }
        label_tokens
    }

    fn spelling(&mut self, raw: &str) -> Option<(&str, &str)> {
        if !self.seen.contains_key(raw) {
            if self.seen.len() >= MAX_REMEMBERED {
                self.seen.clear();
            }
            let exact = vntext::canonical(raw);
            let forms = (!exact.is_empty()).then(|| {
                let folded = vntext::fold(&exact);
                (exact.into_boxed_str(), folded.into_boxed_str())
            });
            self.seen.insert(raw.into(), forms);
        }
        self.seen
            .get(raw)
            .and_then(|f| f.as_ref())
            .map(|(e, f)| (&**e, &**f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_line_up() {
        let (mut e, mut f) = (String::new(), String::new());
        let mut a = Analyzer::default();
        let n = a.forms("Tranh chấp ĐẤT ĐAI", "Tỉnh uỷ, 123/QĐ-UBND", &mut e, &mut f);
        assert_eq!(n, 4);
        assert_eq!(e, "tranh chấp đất đai tỉnh ủy 123 qđ ubnd");
        assert_eq!(f, "tranh chap dat dai tinh uy 123 qd ubnd");
        assert_eq!(e.split(' ').count(), f.split(' ').count());
    }

    #[test]
    fn remembering_changes_nothing() {
        let text = "Hoà bình, hòa BÌNH; ho\u{0300}a bi\u{0300}nh \u{200D} đất\u{200D}đai";
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
        let tokens: Vec<String> = vntext::tokens(text).map(|t| t.text).collect();
        assert_eq!(once.0, tokens.join(" "));
    }
}
