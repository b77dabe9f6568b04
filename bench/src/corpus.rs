//! The search benchmark's corpus: cases of realistic Vietnamese text made from the
//! vocabulary of `vocab.rs`, the query set drawn from its two-syllable words, each
//! query's spellings, and the ground truth (which documents hold a query's syllables in
//! a row, in any spelling).
//!
//! Everything is a function of the seed: a document is made again from its number, so
//! the benchmark knows which documents contain each query's words whatever the spelling.

use std::collections::HashMap;

use phoihop::case::bench::{Rng, Zipf};

use crate::vocab::{Vocab, nfd};

/// Generated (non-curated) words in the vocabulary, and the Zipf exponent over words.
const GENERATED_WORDS: usize = 20_000;
const ZIPF_S: f64 = 1.0;
/// A token that is not a syllable (a number): no phrase runs across it.
pub const NOT_A_SYLLABLE: u32 = u32::MAX;

/// The corpus of one seed over one installation's agencies.
pub struct Corpus {
    pub vocab: Vocab,
    pub seed: u64,
    /// Partner agencies (owners), by id.
    pub agencies: Vec<i64>,
    pub lead: i64,
    owners: Zipf,
}

/// One generated case.
pub struct GenDoc {
    pub title: String,
    pub body: String,
    pub note: Option<String>,
    /// Title, body and note as syllable ids, in order ([`NOT_A_SYLLABLE`] for numbers).
    pub ids: Vec<u32>,
    pub owner: i64,
    pub assignee: i64,
    /// Written with the modern tone placement (hoà, thuỷ).
    pub modern: bool,
}

struct Writer<'a> {
    vocab: &'a Vocab,
    modern: bool,
    text: String,
    ids: Vec<u32>,
}

impl Writer<'_> {
    /// Words until `syllables` are written; capitalised first word, then a stop.
    fn sentence(&mut self, rng: &mut Rng, syllables: usize, stop: bool) {
        let mut written = 0;
        let mut first = true;
        while written < syllables {
            if !self.text.is_empty() && !self.text.ends_with('\n') {
                self.text.push(' ');
            }
            if !first && rng.chance(0.02) {
                let n = rng.between(1, 9_999);
                self.text.push_str(&format!("{n}/QĐ-UBND"));
                self.ids.extend([NOT_A_SYLLABLE; 3]);
                written += 1;
                continue;
            }
            let word = &self.vocab.words[self.vocab.zipf.sample(rng)];
            for (k, &id) in word.syllables.iter().enumerate() {
                if k > 0 {
                    self.text.push(' ');
                }
                let s = self.vocab.spell(id, self.modern);
                if first || word.caps & (1 << k) != 0 {
                    let mut c = s.chars();
                    if let Some(f) = c.next() {
                        self.text.extend(f.to_uppercase());
                        self.text.push_str(c.as_str());
                    }
                } else {
                    self.text.push_str(s);
                }
                first = false;
                self.ids.push(id);
            }
            written += word.syllables.len();
            if written < syllables && rng.chance(0.06) {
                self.text.push(',');
            }
        }
        if stop {
            self.text.push('.');
        }
    }

    fn paragraph(&mut self, rng: &mut Rng, syllables: usize) {
        let start = self.ids.len();
        while self.ids.len() - start < syllables {
            let left = syllables - (self.ids.len() - start);
            let n = rng.between(8, 25).min(left.max(4));
            self.sentence(rng, n, true);
        }
    }

    fn take(&mut self) -> String {
        std::mem::take(&mut self.text)
    }
}

impl Corpus {
    pub fn new(seed: u64, agencies: Vec<i64>, lead: i64) -> Corpus {
        Corpus {
            vocab: Vocab::new(seed, GENERATED_WORDS, ZIPF_S),
            seed,
            owners: Zipf::new(agencies.len(), 0.6),
            agencies,
            lead,
        }
    }

    /// Document `i`.
    pub fn doc(&self, i: usize) -> GenDoc {
        let mut rng = Rng::of(self.seed, i as u64 + 1);
        let modern = rng.chance(0.35);
        let mut w = Writer {
            vocab: &self.vocab,
            modern,
            text: String::new(),
            ids: Vec::with_capacity(256),
        };
        let n = rng.between(8, 15);
        w.sentence(&mut rng, n, false);
        let mut title = w.take();
        if rng.chance(0.03) {
            title = title.to_uppercase();
        }
        let n = rng.between(40, 200);
        w.paragraph(&mut rng, n);
        let body = w.take();
        let note = rng.chance(0.2).then(|| {
            let n = rng.between(10, 40);
            w.paragraph(&mut rng, n);
            w.take()
        });
        let owner = self.agencies[self.owners.sample(&mut rng)];
        let assignee = if rng.chance(0.8) {
            self.lead
        } else {
            self.agencies[rng.below(self.agencies.len())]
        };
        GenDoc {
            title,
            body,
            note,
            ids: w.ids,
            owner,
            assignee,
            modern,
        }
    }

    /// `n` two-syllable queries drawn from the vocabulary's two-syllable words with
    /// their frequency skew, as (syllable pair, typed text).
    pub fn queries(&self, n: usize) -> Vec<((u32, u32), String)> {
        let v = &self.vocab;
        let two: Vec<usize> = (0..v.words.len())
            .filter(|&w| v.words[w].syllables.len() == 2)
            .collect();
        let weights = Zipf::weighted(two.iter().map(|&w| 1.0 / ((w + 1) as f64).powf(ZIPF_S)));
        let mut rng = Rng::of(self.seed, u64::MAX);
        (0..n)
            .map(|_| {
                let w = &v.words[two[weights.sample(&mut rng)]];
                let (a, b) = (w.syllables[0], w.syllables[1]);
                let typed = format!("{} {}", v.syllables[a as usize], v.syllables[b as usize]);
                ((a, b), typed)
            })
            .collect()
    }
}

/// A query's spellings: as typed (with diacritics), then the variants.
pub fn variants(typed: &str, vocab: &Vocab, pair: (u32, u32)) -> Vec<(&'static str, String)> {
    let mut out = vec![
        ("as typed", typed.to_owned()),
        ("no diacritics", vntext::fold(typed)),
        ("upper case", typed.to_uppercase()),
        ("NFD", nfd(typed)),
    ];
    let (a, b) = pair;
    if vocab.modern[a as usize].is_some() || vocab.modern[b as usize].is_some() {
        out.push((
            "other tone placement",
            format!("{} {}", vocab.spell(a, true), vocab.spell(b, true)),
        ));
    }
    out
}

/// For each pair of syllables, the documents (numbers from 0) holding it, in order.
pub type Truth = HashMap<(u32, u32), Vec<u32>>;

/// The documents (numbers from 0) whose text holds each pair of syllables in a row,
/// in any spelling, with their owner and assignee.
pub fn truth(corpus: &Corpus, count: usize, pairs: &[(u32, u32)]) -> (Truth, Vec<(i64, i64)>) {
    let mut out: HashMap<(u32, u32), Vec<u32>> = pairs.iter().map(|&p| (p, Vec::new())).collect();
    let mut who = Vec::with_capacity(count);
    for i in 0..count {
        let d = corpus.doc(i);
        who.push((d.owner, d.assignee));
        for w in d.ids.windows(2) {
            if let Some(list) = out.get_mut(&(w[0], w[1]))
                && list.last() != Some(&(i as u32))
            {
                list.push(i as u32);
            }
        }
    }
    (out, who)
}

/// Prints `n` documents and a dozen queries with their spellings (to read the text).
pub fn sample(n: usize) {
    let corpus = Corpus::new(2026, vec![1, 2, 3], 9);
    for i in 0..n {
        let d = corpus.doc(i);
        println!(
            "#{i} (modern placement: {})\n{}\n{}",
            d.modern, d.title, d.body
        );
        if let Some(note) = d.note {
            println!("note: {note}");
        }
        println!();
    }
    for (pair, typed) in corpus.queries(12) {
        let spellings: Vec<String> = variants(&typed, &corpus.vocab, pair)
            .into_iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect();
        println!("{}", spellings.join(" | "));
    }
}
