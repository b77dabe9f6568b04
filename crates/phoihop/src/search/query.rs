//! What someone typed, read as a search: syllables, and phrases in double quotes.
//!
//! Every syllable goes through `vntext` exactly as the indexed text did, so "dat dai",
//! "ĐẤT ĐAI", NFD "đất đai" and "Tỉnh uỷ"/"Tỉnh ủy" meet the index in the same form.
//! Nothing the user types reaches the index as syntax: the expressions built here quote
//! every token, and tokens hold only letters and digits.
//!
//! Results come in tiers ([`Parsed::levels`]); when diacritics were typed, the four
//! as typed come first, then the same four without diacritics:
//! 1. the words, as phrases, in the title (or a file's name);
//! 2. the phrases anywhere;
//! 3. every syllable in the title, in any order;
//! 4. every syllable somewhere in the text (quoted phrases still as phrases).
//!
//! Inside a tier, results are ranked by relevance, newest first on a tie (`rank.rs`).

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

    /// Whether anything was typed with diacritics (then the as-typed tiers mean
    /// something).
    pub fn has_diacritics(&self) -> bool {
        self.groups
            .iter()
            .flat_map(|g| &g.terms)
            .any(|t| t.exact != t.folded)
    }

    /// The tiers, best first, each with the match expression of what it adds (a tier
    /// is its expression minus every tier before it). The last one's expression holds
    /// every earlier one's matches: it is the whole result set.
    ///
    /// Diacritics typed are the reader's intent: when any were typed, every document
    /// holding the query's syllables as typed comes before every document that
    /// matches only without diacritics, title before body inside each. "As typed" is
    /// the phrase (or the syllables) without diacritics in a document, or a title,
    /// that holds the marked spellings typed: the index keeps each document's marked
    /// spellings once, and its title's apart (`analyze.rs`), not a second positional
    /// copy of its text. A query typed without diacritics has the last four tiers only,
    /// as before.
    pub fn levels(&self) -> Vec<(Tier, String)> {
        if self.groups.is_empty() {
            return Vec::new();
        }
        let words = self.has_words();
        let mut out = Vec::new();
        if self.has_diacritics() {
            out.push((Tier::ExactTitle, self.expression(Column::Title, true, true)));
            out.push((Tier::Exact, self.expression(Column::Folded, true, true)));
            if words {
                out.push((
                    Tier::ExactTitleWords,
                    self.expression(Column::Title, false, true),
                ));
                out.push((
                    Tier::ExactWords,
                    self.expression(Column::Folded, false, true),
                ));
            }
        }
        out.push((Tier::Title, self.expression(Column::Title, true, false)));
        out.push((Tier::Phrase, self.expression(Column::Folded, true, false)));
        if words {
            out.push((
                Tier::TitleWords,
                self.expression(Column::Title, false, false),
            ));
            out.push((Tier::All, self.expression(Column::Folded, false, false)));
        }
        out
    }

    /// The tiers' match expressions, each holding the ones before it (for counting and
    /// measuring); the last is the whole result set.
    pub fn tiers(&self) -> Vec<(Tier, String)> {
        let levels = self.levels();
        let last = levels.len().saturating_sub(1);
        let mut union = String::new();
        levels
            .into_iter()
            .enumerate()
            .map(|(i, (tier, expr))| {
                if union.is_empty() || i == last {
                    union = expr;
                } else {
                    union = format!("({union}) OR ({expr})");
                }
                (tier, union.clone())
            })
            .collect()
    }

    /// Some run of plain words has several syllables: matching them in any order is
    /// a tier of its own.
    fn has_words(&self) -> bool {
        self.groups.iter().any(|g| !g.quoted && g.terms.len() > 1)
    }

    /// Each group as a phrase (`runs_as_phrases`, or when quoted) or as all its
    /// syllables, in `column`; `as_typed` asks for the marked spellings typed too.
    ///
    /// A marked spelling held implies its folded syllable (both come from the same
    /// word), so a syllable as typed is matched by its marked spelling alone: one list
    /// for FTS5 to walk, not two. A phrase still needs the folded column's positions,
    /// and then that the document (the title, for the title column) holds the marked
    /// spellings typed.
    fn expression(&self, column: Column, runs_as_phrases: bool, as_typed: bool) -> String {
        let (name, held) = match column {
            Column::Folded => ("folded", "exact"),
            Column::Title => ("title", "title"),
        };
        let token = |syllable: &str| match column {
            Column::Folded => syllable.to_owned(),
            Column::Title => title_token(syllable),
        };
        let parts: Vec<String> = self
            .groups
            .iter()
            .map(|g| {
                let marked = |t: &Term| as_typed && t.exact != t.folded;
                if g.terms.len() > 1 && (g.quoted || runs_as_phrases) {
                    let phrase: Vec<String> = g.terms.iter().map(|t| token(&t.folded)).collect();
                    let matched = format!("{name} : \"{}\"", phrase.join(" "));
                    let mut spellings: Vec<String> = g
                        .terms
                        .iter()
                        .filter(|t| marked(t))
                        .map(|t| format!("\"{}\"", token(&t.exact)))
                        .collect();
                    spellings.sort();
                    spellings.dedup();
                    if spellings.is_empty() {
                        return matched;
                    }
                    return format!("{matched} AND {held} : ({})", spellings.join(" AND "));
                }
                let mut each: Vec<String> = g
                    .terms
                    .iter()
                    .map(|t| {
                        if marked(t) {
                            format!("{held} : \"{}\"", token(&t.exact))
                        } else {
                            format!("{name} : \"{}\"", token(&t.folded))
                        }
                    })
                    .collect();
                let mut seen = Vec::new();
                each.retain(|e| {
                    let first = !seen.contains(e);
                    seen.push(e.clone());
                    first
                });
                each.join(" AND ")
            })
            .collect();
        parts.join(" AND ")
    }
}

/// A title's syllable (folded, or a marked spelling) as the index keeps it: a term of
/// its own (`t_` and the syllable, which never holds `_`), so that searching titles
/// reads only titles' postings, not those of every document holding the syllable.
pub fn title_token(syllable: &str) -> String {
    format!("t_{syllable}")
}

/// How closely a result matched, best first: as typed (when diacritics were typed)
/// in the title, as a phrase, word by word in the title, word by word; then the same
/// four without diacritics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    ExactTitle,
    Exact,
    ExactTitleWords,
    ExactWords,
    Title,
    Phrase,
    TitleWords,
    All,
}

impl Tier {
    /// Every tier, best first (the API document lists their codes).
    pub const ALL: [Tier; 8] = [
        Tier::ExactTitle,
        Tier::Exact,
        Tier::ExactTitleWords,
        Tier::ExactWords,
        Tier::Title,
        Tier::Phrase,
        Tier::TitleWords,
        Tier::All,
    ];
}

#[derive(Clone, Copy)]
enum Column {
    Folded,
    Title,
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
    fn words_typed_with_diacritics_give_four_tiers_as_typed_first() {
        let q = parse("đất đai");
        let levels: Vec<(Tier, String)> = q.levels();
        let expected = [
            (
                Tier::ExactTitle,
                "title : \"t_dat t_dai\" AND title : (\"t_đai\" AND \"t_đất\")",
            ),
            (
                Tier::Exact,
                "folded : \"dat dai\" AND exact : (\"đai\" AND \"đất\")",
            ),
            (
                Tier::ExactTitleWords,
                "title : \"t_đất\" AND title : \"t_đai\"",
            ),
            (Tier::ExactWords, "exact : \"đất\" AND exact : \"đai\""),
            (Tier::Title, "title : \"t_dat t_dai\""),
            (Tier::Phrase, "folded : \"dat dai\""),
            (Tier::TitleWords, "title : \"t_dat\" AND title : \"t_dai\""),
            (Tier::All, "folded : \"dat\" AND folded : \"dai\""),
        ];
        assert_eq!(levels.len(), expected.len());
        for ((tier, expr), (want_tier, want)) in levels.iter().zip(expected) {
            assert_eq!((*tier, expr.as_str()), (want_tier, want));
        }
        // The tiers for counting hold the ones before; the last is everything.
        let tiers = q.tiers();
        assert_eq!(
            tiers[1].1,
            format!("({}) OR ({})", levels[0].1, levels[1].1)
        );
        assert_eq!(tiers[7].1, levels[7].1);
        // Without diacritics: the last four only, as before.
        let plain: Vec<Tier> = parse("dat dai").levels().into_iter().map(|l| l.0).collect();
        assert_eq!(
            plain,
            [Tier::Title, Tier::Phrase, Tier::TitleWords, Tier::All]
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
            "no diacritics, no tier as typed"
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
