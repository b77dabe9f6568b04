//! What someone typed, read as a search: syllables, and phrases in double quotes.
//!
//! Every syllable goes through `vntext` exactly as the indexed text did, so "dat dai",
//! "ĐẤT ĐAI", NFD "đất đai" and "Tỉnh uỷ"/"Tỉnh ủy" meet the index in the same form.
//! Nothing the user types reaches the index as syntax: the expressions built here quote
//! every token, and tokens hold only letters and digits.
//!
//! Results come in tiers, each inside the next, newest first within a tier:
//! 1. the words, as phrases, in the title (or a file's name);
//! 2. the words as typed, with their diacritics (when any were typed): the phrases,
//!    in a document that holds the spellings typed;
//! 3. the same phrases without diacritics anywhere;
//! 4. every syllable in the title, in any order;
//! 5. every syllable somewhere in the text (quoted phrases still as phrases).

/// Longest query read; the rest is ignored (with a note).
pub const MAX_CHARS: usize = 1_000;
/// Most syllables used from a query.
pub const MAX_TOKENS: usize = 16;
/// Longest token kept (a syllable is a few letters; this is a pasted blob).
const MAX_TOKEN_BYTES: usize = 64;

/// One syllable in the two forms the index keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub exact: String,
    pub folded: String,
}

/// Syllables typed together: in quotes (a phrase that must match as such), or a run
/// of plain words (a phrase preferred, any order accepted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub terms: Vec<Term>,
    pub quoted: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub groups: Vec<Group>,
    /// Part of the query was not used (too long, too many syllables).
    pub shortened: bool,
}

impl Parsed {
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Every folded syllable of the query, for highlighting.
    pub fn folded_terms(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .groups
            .iter()
            .flat_map(|g| g.terms.iter().map(|t| t.folded.clone()))
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// The query's words for marking them in snippets.
    pub fn snippet_terms(&self) -> crate::search::snippet::Terms {
        let mut words: Vec<Term> = self.groups.iter().flat_map(|g| g.terms.clone()).collect();
        words.sort_by(|a, b| a.exact.cmp(&b.exact));
        words.dedup();
        crate::search::snippet::Terms { words }
    }

    /// Whether anything was typed with diacritics (then the exact tier means something).
    fn has_diacritics(&self) -> bool {
        self.groups
            .iter()
            .flat_map(|g| &g.terms)
            .any(|t| t.exact != t.folded)
    }

    /// The match expressions of the tiers, best first; each tier's matches are inside
    /// the next one's, and the last is the whole result set.
    pub fn tiers(&self) -> Vec<(Tier, String)> {
        if self.groups.is_empty() {
            return Vec::new();
        }
        let title = self.expression(Column::Title, true);
        let phrases = self.expression(Column::Folded, true);
        let all = self.expression(Column::Folded, false);
        let mut tiers = vec![(Tier::Title, title.clone())];
        if self.has_diacritics() {
            let exact = self.as_typed();
            tiers.push((Tier::Exact, format!("({title}) OR ({exact})")));
        }
        tiers.push((Tier::Phrase, phrases.clone()));
        if all != phrases {
            let title_words = self.expression(Column::Title, false);
            tiers.push((Tier::TitleWords, format!("({phrases}) OR ({title_words})")));
            tiers.push((Tier::All, all));
        }
        tiers
    }

    /// The words as typed: each group's phrase without diacritics, in a document that
    /// holds the spellings with diacritics that were typed (the index keeps each
    /// document's marked spellings once, not a second copy of its text: `analyze.rs`).
    fn as_typed(&self) -> String {
        let parts: Vec<String> = self
            .groups
            .iter()
            .map(|g| {
                let folded: Vec<&str> = g.terms.iter().map(|t| t.folded.as_str()).collect();
                let mut marked: Vec<String> = g
                    .terms
                    .iter()
                    .filter(|t| t.exact != t.folded)
                    .map(|t| format!("\"{}\"", t.exact))
                    .collect();
                marked.dedup();
                let phrase = format!("folded : \"{}\"", folded.join(" "));
                if marked.is_empty() {
                    phrase
                } else {
                    format!("{phrase} AND exact : ({})", marked.join(" AND "))
                }
            })
            .collect();
        parts.join(" AND ")
    }

    fn expression(&self, column: Column, runs_as_phrases: bool) -> String {
        let parts: Vec<String> = self
            .groups
            .iter()
            .map(|g| {
                let words = g.terms.iter().map(|t| match column {
                    Column::Folded => t.folded.clone(),
                    Column::Title => title_token(&t.folded),
                });
                let name = column.name();
                if g.quoted || runs_as_phrases || g.terms.len() == 1 {
                    let phrase: Vec<String> = words.collect();
                    format!("{name} : \"{}\"", phrase.join(" "))
                } else {
                    let each: Vec<String> = words.map(|w| format!("\"{w}\"")).collect();
                    format!("{name} : ({})", each.join(" AND "))
                }
            })
            .collect();
        parts.join(" AND ")
    }
}

/// A title's syllable as the index keeps it: a term of its own (`t_` and the folded
/// syllable, which never holds `_`), so that searching titles reads only titles'
/// postings, not those of every body holding the syllable.
pub fn title_token(folded: &str) -> String {
    format!("t_{folded}")
}

/// How closely a result matched: as typed, as a phrase without diacritics, or word by
/// word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    Title,
    Exact,
    Phrase,
    TitleWords,
    All,
}

#[derive(Clone, Copy)]
enum Column {
    Folded,
    Title,
}

impl Column {
    fn name(self) -> &'static str {
        match self {
            Column::Folded => "folded",
            Column::Title => "title",
        }
    }
}

/// Reads `text` as a query. Quotes pair up; a quote left open runs to the end.
/// Punctuation and operators are separators; what is left is syllables.
pub fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::default();
    let text = match text.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => {
            parsed.shortened = true;
            &text[..cut]
        }
        None => text,
    };
    let mut used = 0;
    for (i, segment) in text.split('"').enumerate() {
        let quoted = i % 2 == 1;
        let mut terms = Vec::new();
        for token in vntext::tokens(segment) {
            if token.text.len() > MAX_TOKEN_BYTES {
                parsed.shortened = true;
                continue;
            }
            if used == MAX_TOKENS {
                parsed.shortened = true;
                break;
            }
            used += 1;
            terms.push(Term {
                exact: token.text,
                folded: token.folded,
            });
        }
        if !terms.is_empty() {
            parsed.groups.push(Group { terms, quoted });
        }
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_words_give_five_tiers() {
        let q = parse("đất đai");
        let tiers: Vec<String> = q.tiers().into_iter().map(|t| t.1).collect();
        assert_eq!(
            tiers,
            vec![
                "title : \"t_dat t_dai\"".to_owned(),
                "(title : \"t_dat t_dai\") OR (folded : \"dat dai\" AND exact : (\"đất\" AND \"đai\"))".to_owned(),
                "folded : \"dat dai\"".to_owned(),
                "(folded : \"dat dai\") OR (title : (\"t_dat\" AND \"t_dai\"))".to_owned(),
                "folded : (\"dat\" AND \"dai\")".to_owned(),
            ]
        );
    }

    #[test]
    fn spellings_meet_in_one_form() {
        let nfd = "đa\u{0302}\u{0301}t đai";
        for typed in ["dat dai", "ĐẤT ĐAI", nfd, "đất đai"] {
            let q = parse(typed);
            assert_eq!(q.folded_terms(), vec!["dai".to_owned(), "dat".to_owned()]);
        }
        assert_eq!(parse("Tỉnh uỷ").tiers(), parse("Tỉnh ủy").tiers());
        assert_eq!(
            parse("dat dai").tiers().len(),
            4,
            "no diacritics, no exact tier"
        );
        assert_eq!(
            parse("dat").tiers().len(),
            2,
            "one word: its phrase is all there is"
        );
    }

    #[test]
    fn quotes_make_phrases_even_when_left_open() {
        let q = parse("\"đất đai\" Ia Chim");
        assert!(q.groups[0].quoted);
        assert!(!q.groups[1].quoted);
        let open = parse("xã \"Ia Chim");
        assert!(open.groups[1].quoted);
        assert_eq!(open.groups[1].terms.len(), 2);
    }

    #[test]
    fn operators_and_punctuation_are_not_syntax() {
        assert!(parse("\"\" ()*: - AND? OR! NEAR/").groups.iter().all(|g| {
            g.terms
                .iter()
                .all(|t| t.folded.chars().all(char::is_alphanumeric))
        }));
        assert!(parse("!!! ??? \"\"").is_empty());
        assert!(parse("").is_empty());
        for (_, tier) in parse("a\" OR \"b NOT c*").tiers() {
            assert_eq!(tier.matches('"').count() % 2, 0, "{tier}");
        }
    }

    #[test]
    fn long_queries_are_cut_and_said_so() {
        let long = "đất ".repeat(5_000);
        let q = parse(&long);
        assert!(q.shortened);
        assert_eq!(q.groups[0].terms.len(), MAX_TOKENS);
        let blob = "a".repeat(500);
        let q = parse(&blob);
        assert!(q.is_empty() && q.shortened);
    }
}
