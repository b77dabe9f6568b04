//! A document's text as the index keeps it: the syllables of its label and body, once
//! in the *exact* form (diacritics kept, one tone placement, lower case) and once
//! *folded* (no diacritics, đ → d), positions aligned so that a phrase matches in
//! either column. The query side reads text the same way (see `query.rs`).

/// Most text indexed from one document (an attachment can be a whole book).
pub const MAX_INDEXED_BYTES: usize = 1_000_000;

/// Appends the two forms of `label` then `body` to `exact` and `folded`; returns how
/// many syllables the label had.
pub fn forms(label: &str, body: &str, exact: &mut String, folded: &mut String) -> usize {
    let mut label_tokens = 0;
    for (i, text) in [label, body].into_iter().enumerate() {
        let text = match text.char_indices().find(|(i, _)| *i >= MAX_INDEXED_BYTES) {
            Some((cut, _)) => &text[..cut],
            None => text,
        };
        for token in vntext::tokens(text) {
            if !exact.is_empty() {
                exact.push(' ');
                folded.push(' ');
            }
            exact.push_str(&token.text);
            folded.push_str(&token.folded);
            if i == 0 {
                label_tokens += 1;
            }
        }
    }
    label_tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_line_up() {
        let (mut e, mut f) = (String::new(), String::new());
        let n = forms("Tranh chấp ĐẤT ĐAI", "Tỉnh uỷ, 123/QĐ-UBND", &mut e, &mut f);
        assert_eq!(n, 4);
        assert_eq!(e, "tranh chấp đất đai tỉnh ủy 123 qđ ubnd");
        assert_eq!(f, "tranh chap dat dai tinh uy 123 qd ubnd");
        assert_eq!(e.split(' ').count(), f.split(' ').count());
    }
}
