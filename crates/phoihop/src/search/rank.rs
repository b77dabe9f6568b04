//! Relevance inside a tier: BM25's weighting of how often the query's phrases (and,
//! less, its single syllables) occur in a document against its length, with recency
//! as the tie-break.
//!
//! Every document of a tier matches the whole query, so BM25's inverse document
//! frequency only weighs one group of the query against another; the groups count
//! alike here. What decides is the term frequency, saturating (`K1`) and normalised by
//! length against the candidates' average (`B`). In a tier *as typed* an occurrence
//! counts when its spelling is the one typed (canonical form: tone placement and case
//! do not matter), so a document that holds *bán* somewhere and *bàn hàng* in its
//! title ranks below one that says *bán hàng*; in the other tiers the syllables
//! without diacritics count.
//!
//! The work is bounded: the newest [`RANKED`] documents of a tier are ranked (FTS5
//! hands them over newest first and stops there); a larger tier continues with the
//! rest newest first. Of each candidate the title and the first [`SCAN_BYTES`] of its
//! text are read, and a syllable is folded only when its first letter and length could
//! make it a word of the query (a run of joined syllables counts from its first).

use super::query::Parsed;

/// Documents ranked by relevance in each tier, at most: the newest this many. A
/// search's first page reads two or three tiers, so this bounds its work to a hundred
/// or so short texts; 30 is a page and a half. Measured over 1,000,000 cases, one
/// agency query at a time (bench/RESULTS.md, session 5): p50 5.0 ms ranking none or
/// 20, 5.1 ranking 30, 7.5 ranking 50; 100 was 8.7 at 200,000 cases.
pub const RANKED: usize = 30;
/// Text read of a candidate's body.
pub const SCAN_BYTES: usize = 4_000;

const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Weight of the single syllables of a phrase beside the whole phrase.
const WORD_WEIGHT: f64 = 0.25;

struct Word {
    exact: String,
    folded: String,
    first: char,
    letters: usize,
}

/// The query, ready to count its words in candidates.
pub struct Scorer {
    /// What each raw spelling met so far is, as words of the query: the candidates
    /// of a search repeat the same few thousand.
    seen: std::cell::RefCell<std::collections::HashMap<Box<str>, Vec<Option<usize>>>>,
    words: Vec<Word>,
    /// Each group of the query as indexes into `words`.
    groups: Vec<Vec<usize>>,
    as_typed: bool,
}

/// What was counted in one candidate.
pub struct Counts {
    phrases: Vec<u32>,
    words: Vec<u32>,
    length: u32,
}

impl Scorer {
    /// Counts `parsed`'s words as typed (`as_typed`) or without diacritics.
    pub fn new(parsed: &Parsed, as_typed: bool) -> Scorer {
        let mut words: Vec<Word> = Vec::new();
        let mut groups = Vec::new();
        for g in &parsed.groups {
            let mut group = Vec::new();
            for t in &g.terms {
                let at = match words.iter().position(|w| w.exact == t.exact) {
                    Some(at) => at,
                    None => {
                        words.push(Word {
                            exact: t.exact.clone(),
                            folded: t.folded.clone(),
                            first: t.folded.chars().next().unwrap_or(' '),
                            letters: t.folded.chars().count(),
                        });
                        words.len() - 1
                    }
                };
                group.push(at);
            }
            groups.push(group);
        }
        Scorer {
            seen: Default::default(),
            words,
            groups,
            as_typed,
        }
    }

    /// Which word of the query `token` is, if any.
    fn which(&self, token: &vntext::Token) -> Option<usize> {
        self.words.iter().position(|w| {
            if self.as_typed {
                token.text == w.exact
            } else {
                token.folded == w.folded
            }
        })
    }

    /// The words of the query found in a candidate's title and text, in order (`None`
    /// for any other syllable), title and text kept apart.
    fn sequence(&self, label: &str, body: &str) -> Vec<Option<usize>> {
        let mut out = Vec::new();
        for (i, text) in [label, scanned(body)].into_iter().enumerate() {
            if i == 1 {
                // A phrase does not run from the title into the text.
                out.push(None);
            }
            for (start, end) in vntext::spans(text) {
                let raw = &text[start..end];
                let mut letters = 0;
                let mut first = None;
                for c in raw.chars() {
                    if c.is_alphanumeric() {
                        letters += 1;
                        first.get_or_insert(c);
                    }
                }
                let Some(first) = first.map(vntext::fold_char) else {
                    continue;
                };
                // Its length, or a run longer than the word by more than a letter
                // with marks (syllables that lost their spaces, `segment.rs`).
                let maybe = self.words.iter().any(|w| {
                    w.first == first
                        && (w.letters == letters || (letters > w.letters + 1 && !raw.is_ascii()))
                });
                if maybe {
                    let mut seen = self.seen.borrow_mut();
                    let found = seen
                        .entry(raw.into())
                        .or_insert_with(|| vntext::tokens(raw).map(|t| self.which(&t)).collect());
                    out.extend(found.iter().copied());
                } else {
                    out.push(None);
                }
            }
        }
        out
    }

    /// How often each group and each word of the query occur in a candidate.
    pub fn count(&self, label: &str, body: &str) -> Counts {
        let seq = self.sequence(label, body);
        let mut words = vec![0u32; self.words.len()];
        for w in seq.iter().flatten() {
            words[*w] += 1;
        }
        let phrases = self
            .groups
            .iter()
            .map(|g| {
                seq.windows(g.len())
                    .filter(|w| w.iter().zip(g).all(|(s, t)| *s == Some(*t)))
                    .count() as u32
            })
            .collect();
        Counts {
            phrases,
            words,
            length: seq.len() as u32,
        }
    }

    /// Each candidate's relevance, from its counts, against the candidates' average
    /// length.
    pub fn scores(&self, counts: &[Counts]) -> Vec<f64> {
        let n = counts.len().max(1) as f64;
        let average = (counts.iter().map(|c| f64::from(c.length)).sum::<f64>() / n).max(1.0);
        counts
            .iter()
            .map(|c| {
                let norm = K1 * (1.0 - B + B * f64::from(c.length) / average);
                let weigh = |tf: u32| {
                    let tf = f64::from(tf);
                    tf * (K1 + 1.0) / (tf + norm)
                };
                self.groups
                    .iter()
                    .zip(&c.phrases)
                    .map(|(g, phrase)| {
                        let words: f64 = if g.len() > 1 {
                            g.iter().map(|w| weigh(c.words[*w])).sum()
                        } else {
                            0.0
                        };
                        weigh(*phrase) + WORD_WEIGHT * words
                    })
                    .sum()
            })
            .collect()
    }
}

/// The first [`SCAN_BYTES`] of `body`, cut at a character.
fn scanned(body: &str) -> &str {
    if body.len() <= SCAN_BYTES {
        return body;
    }
    let mut cut = SCAN_BYTES;
    while !body.is_char_boundary(cut) {
        cut -= 1;
    }
    &body[..cut]
}

/// `ids` (newest first) in order of relevance: highest score first, the newer first
/// on a tie. `texts` gives each candidate's title and text.
pub fn order(scorer: &Scorer, ids: &[i64], texts: &[(String, String)]) -> Vec<i64> {
    let counts: Vec<Counts> = texts.iter().map(|(l, b)| scorer.count(l, b)).collect();
    let scores = scorer.scores(&counts);
    let mut ranked: Vec<(f64, i64)> = scores.into_iter().zip(ids.iter().copied()).collect();
    // Ids go down as documents are added: the lower id is the newer.
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.into_iter().map(|r| r.1).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::parse;

    fn texts(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(l, b)| ((*l).to_owned(), (*b).to_owned()))
            .collect()
    }

    #[test]
    fn phrases_as_typed_count_and_recency_breaks_ties() {
        let q = parse("bán hàng");
        let docs = texts(&[
            ("Quầy bàn hàng", "Bán lẻ ở chợ, bàn hàng mới."),
            (
                "Bán hàng rong",
                "Bán hàng rong trên vỉa hè, bán hàng không phép.",
            ),
            (
                "Bán hàng rong",
                "Bán hàng rong trên vỉa hè, bán hàng không phép.",
            ),
        ]);
        let ids = [-3, -2, -1];
        assert_eq!(order(&Scorer::new(&q, true), &ids, &docs), [-2, -1, -3]);
        // Without diacritics every one says "ban hang"; the most often first.
        let folded = order(&Scorer::new(&parse("ban hang"), false), &ids, &docs);
        assert_eq!(folded.last(), Some(&-3));
    }

    #[test]
    fn a_short_text_full_of_the_words_beats_a_long_one_that_names_them_once() {
        let q = parse("tiền lương");
        let long = format!("Tiền lương tháng này. {}", "Nội dung khác. ".repeat(200));
        let docs = vec![
            ("Đơn".to_owned(), long),
            (
                "Đơn".to_owned(),
                "Chậm trả tiền lương; tiền lương tháng 5 chưa trả.".to_owned(),
            ),
        ];
        assert_eq!(order(&Scorer::new(&q, true), &[-2, -1], &docs), [-1, -2]);
    }

    #[test]
    fn upper_case_nfd_and_joined_syllables_are_counted() {
        let q = parse("phản ánh");
        let s = Scorer::new(&q, true);
        for body in [
            "PHẢN ÁNH",
            "pha\u{0309}n a\u{0301}nh",
            "phản\u{00AD}ánh",
            "Phản ánh",
        ] {
            assert_eq!(s.count("", body).phrases, [1], "{body:?}");
        }
        assert_eq!(s.count("", "phàn anh").phrases, [0]);
        assert_eq!(Scorer::new(&q, false).count("", "phàn anh").phrases, [1]);
    }
}
