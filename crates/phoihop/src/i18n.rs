//! Languages of the interface: Vietnamese first, English second.
//!
//! Text is written in Vietnamese where it is used (templates, domain messages), so the
//! code reads like the product. [`tr`] gives the English for a Vietnamese string from
//! the table in `i18n/en.rs`; a test checks that every string a template passes to it
//! has an entry, so a missing translation is a failing test, not a surprise.

mod en;

use std::collections::HashMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }
}

fn english() -> &'static HashMap<&'static str, &'static str> {
    static TABLE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| en::PAIRS.iter().copied().collect())
}

/// `vi` in the language asked for. A string with no English entry stays Vietnamese.
pub fn tr(lang: Lang, vi: &str) -> &str {
    match lang {
        Lang::Vi => vi,
        Lang::En => english().get(vi).copied().unwrap_or(vi),
    }
}

/// A message for a person, written in Vietnamese and translated when shown.
/// Domain code returns these; templates show them with [`tr`].
pub type Msg = &'static str;

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `tr("…")` in the templates needs an English entry.
    #[test]
    fn every_template_string_has_an_english_translation() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(dir).expect("templates folder") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("template text");
            for piece in text.split("tr(\"").skip(1) {
                let Some(end) = piece.find("\")") else {
                    continue;
                };
                let vi = &piece[..end];
                if !english().contains_key(vi) {
                    missing.push(format!("{}: {vi}", path.display()));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "missing English for:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn english_entries_are_unique_and_in_nfc() {
        let mut seen = std::collections::HashSet::new();
        for (vi, en) in en::PAIRS {
            assert!(seen.insert(vi), "duplicate entry {vi}");
            assert_eq!(vntext::normalize(vi), *vi, "not NFC: {vi}");
            assert!(!en.is_empty());
        }
    }
}
