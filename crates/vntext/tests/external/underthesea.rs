//! Tone placement checked against a published list of non-standard → standard
//! spellings: underthesea's token normalisation rules (Apache-2.0, see
//! `testdata/LICENSE-underthesea`).
//!
//! underthesea does not follow one placement itself (it maps *hoà* → *hòa* but
//! *lòa* → *loà*), so the test asks for equivalence, not identity: both spellings of
//! each pair must have the same [`vntext::canonical`] form. Pairs that change letters,
//! not just the mark's place (*nghành* → *ngành*, *buớc* → *bước*, *dàì* → *dài*), are spelling
//! corrections outside this crate's job and are counted, not tested.

use unicode_normalization::UnicodeNormalization;
use vntext::canonical;

const RULES: &str = include_str!("../../testdata/underthesea-tone-rules.tsv");

fn pairs() -> impl Iterator<Item = (&'static str, &'static str)> {
    RULES
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split_once('\t').expect("tab"))
}

fn is_tone_mark(c: char) -> bool {
    matches!(
        c,
        '\u{0300}' | '\u{0301}' | '\u{0303}' | '\u{0309}' | '\u{0323}'
    )
}

/// Number of tone marks in a word once decomposed.
fn tone_marks(word: &str) -> usize {
    word.nfd().filter(|c| is_tone_mark(*c)).count()
}

/// The word's letters with their quality marks (ă â ê ô ơ ư) but without its tone.
fn letters(word: &str) -> String {
    word.nfd()
        .filter(|c| !is_tone_mark(*c))
        .nfc()
        .collect::<String>()
        .to_lowercase()
}

#[test]
fn every_placement_variant_has_the_canonical_form_of_its_standard_spelling() {
    let mut tested = 0;
    let mut corrections = 0;
    let mut failures = Vec::new();
    for (variant, standard) in pairs() {
        let same_letters = letters(variant) == letters(standard);
        if !same_letters || tone_marks(variant) != 1 || tone_marks(standard) != 1 {
            corrections += 1;
            continue;
        }
        tested += 1;
        if canonical(variant) != canonical(standard) {
            failures.push(format!(
                "{variant} → {} but {standard} → {}",
                canonical(variant),
                canonical(standard)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // The file has 2,904 pairs; guard against a parsing slip silently skipping them.
    assert_eq!(tested + corrections, 2904);
    // 2,322 pairs differ only in where the one tone mark sits; 582 change letters.
    assert_eq!((tested, corrections), (2322, 582));
}

#[test]
fn canonical_forms_of_standard_spellings_are_stable() {
    for (_, standard) in pairs() {
        let c = canonical(standard);
        assert_eq!(canonical(&c), c, "{standard}");
    }
}
