//! The keys a complainant is recognised by across letters: a name and an address
//! reduced to what stays the same however they were typed. Stored with the personal
//! data (`complaint_parties.name_key`, `address_key`) so that the escalation check
//! finds earlier letters by index.
//!
//! A name key is the name's syllables folded (no diacritics, `đ` → `d`, lower case),
//! one space apart, in the order written, without the forms of address letters put
//! before a name (*ông, bà, anh, chị, hộ gia đình ông …*). Order is kept: *Nguyễn Văn
//! An* and *An Văn Nguyễn* are not the same person. An address key is the address's
//! folded syllables without the administrative words (*thôn, xã, phường, số …*), which
//! every address has and which say nothing about which one it is.

use std::collections::BTreeSet;

/// Forms of address and household words written before a name, as written with their
/// marks: recognised with marks, so that the surnames *Hồ, Chu, Cù, Châu, Đồng* are
/// never taken for *hộ, chú, cụ, cháu, đồng chí*. Longer phrases first.
const HONORIFICS: &[&[&str]] = &[
    &["hộ", "gia", "đình"],
    &["gia", "đình"],
    &["đồng", "chí"],
    &["đ", "c"],
    &["ông"],
    &["bà"],
    &["anh"],
    &["chị"],
    &["cô"],
    &["chú"],
    &["bác"],
    &["cụ"],
    &["em"],
    &["cháu"],
    &["hộ"],
];

/// The same words typed without marks, where no common surname shares the spelling
/// (so not *ho, chu, cu, chau*, nor *dong* alone).
const BARE_HONORIFICS: &[&[&str]] = &[
    &["gia", "dinh"],
    &["dong", "chi"],
    &["d", "c"],
    &["ong"],
    &["ba"],
    &["anh"],
    &["chi"],
    &["co"],
    &["bac"],
    &["em"],
];

/// The key `name` is matched on: folded syllables, honorifics dropped from its start
/// (never its last syllable), order kept. Empty for a name with no letters.
pub fn name_key(name: &str) -> String {
    join(name_syllables(name).iter().map(|t| t.folded.as_str()))
}

/// The name as written with its marks (canonical syllables, honorifics dropped), when
/// it has any: two names both written with marks are the same only if these are, so
/// *Nguyễn Văn Bình* is not his neighbour *Nguyễn Văn Bính*, whose key is the same.
/// `None` for a name typed without marks, which only its key can match.
pub fn marked_name(name: &str) -> Option<String> {
    let syllables = name_syllables(name);
    let marked = syllables.iter().any(|t| t.text != t.folded);
    marked.then(|| join(syllables.iter().map(|t| t.text.as_str())))
}

/// The syllables of `name` after the forms of address before it.
fn name_syllables(name: &str) -> Vec<vntext::Token> {
    let mut tokens: Vec<vntext::Token> = vntext::tokens(name).collect();
    let marked = tokens.iter().any(|t| t.text != t.folded);
    let (phrases, form): (_, fn(&vntext::Token) -> &str) = if marked {
        (HONORIFICS, |t| t.text.as_str())
    } else {
        (BARE_HONORIFICS, |t| t.folded.as_str())
    };
    let mut start = 0;
    while let Some(phrase) = phrases.iter().find(|p| {
        start + p.len() < tokens.len() && p.iter().zip(&tokens[start..]).all(|(w, t)| *w == form(t))
    }) {
        start += phrase.len();
    }
    tokens.drain(..start);
    tokens
}

/// Administrative words of an address, folded: they appear in every address.
const ADMINISTRATIVE: &[&str] = &[
    "so", "duong", "pho", "ngo", "ngach", "hem", "kiet", "thon", "xom", "ap", "ban", "buon",
    "lang", "plei", "to", "khu", "khom", "dan", "cum", "doi", "xa", "phuong", "thi", "tran", "dac",
    "tinh", "huyen", "quan", "tp", "tx", "tt", "kp", "tdp",
];

/// The words of `address` that tell it from others, folded, in order, one space
/// apart: what [`similar_addresses`] compares.
pub fn address_key(address: &str) -> String {
    join(
        vntext::tokens(address)
            .map(|t| t.folded)
            .filter(|w| !ADMINISTRATIVE.contains(&w.as_str()))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str),
    )
}

/// True when two address keys name the same place as far as the text can say: the
/// shorter one's words (at least two, or one that is all there is on both sides) are,
/// for three quarters or more, words of the other. *Thôn 3, xã Ea Tu* and *thon 3 Ea
/// Tu, tinh Dak Lak* are alike; *Ea Tu* and *Ea H'leo* are not.
pub fn similar_addresses(a: &str, b: &str) -> bool {
    let a: BTreeSet<&str> = a.split(' ').filter(|w| !w.is_empty()).collect();
    let b: BTreeSet<&str> = b.split(' ').filter(|w| !w.is_empty()).collect();
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if small.is_empty() || (small.len() == 1 && large.len() > 1) {
        return false;
    }
    let shared = small.intersection(&large).count();
    shared * 4 >= small.len() * 3
}

fn join<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for w in words {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_the_same_however_it_is_typed() {
        let key = "nguyen van an";
        for typed in [
            "Nguyễn Văn An",
            "NGUYỄN VĂN AN",
            "  nguyễn   văn  an ",
            "Nguyen Van An",
            "Ông Nguyễn Văn An",
            "ông nguyen van an",
            "Hộ gia đình ông Nguyễn Văn An",
            "Đ/c Nguyễn Văn An",
            "Nguye\u{0302}\u{0303}n Va\u{0306}n An", // NFD
        ] {
            assert_eq!(name_key(typed), key, "{typed}");
        }
        // Tone placement: Thuỷ and Thủy are one name.
        assert_eq!(name_key("Bà Lê Thị Thuỷ"), name_key("Lê Thị Thủy"));
    }

    #[test]
    fn surnames_spelled_like_honorifics_are_kept() {
        assert_eq!(name_key("Hồ Văn Nam"), "ho van nam");
        assert_eq!(name_key("Ho Van Nam"), "ho van nam");
        assert_eq!(name_key("Chu Thị Lan"), "chu thi lan");
        assert_eq!(name_key("Cù Huy Cận"), "cu huy can");
        assert_eq!(name_key("Châu Văn Liêm"), "chau van liem");
        assert_eq!(name_key("Hộ ông Hồ Văn Nam"), "ho van nam");
        assert_eq!(name_key("Đồng Sĩ Nguyên"), "dong si nguyen");
        assert_eq!(name_key("Đồng chí Đồng Sĩ Nguyên"), "dong si nguyen");
    }

    #[test]
    fn names_written_with_marks_keep_them_apart() {
        assert_eq!(name_key("Nguyễn Văn Bình"), name_key("Nguyễn Văn Bính"));
        assert_ne!(
            marked_name("Nguyễn Văn Bình"),
            marked_name("Nguyễn Văn Bính")
        );
        assert_eq!(
            marked_name("Ông NGUYỄN VĂN BÌNH"),
            Some("nguyễn văn bình".into())
        );
        assert_eq!(marked_name("Bà Lê Thị Thuỷ"), marked_name("Lê Thị Thủy"));
        assert_eq!(marked_name("ong Nguyen Van Binh"), None);
    }

    #[test]
    fn word_order_is_kept_and_the_last_syllable_stays() {
        assert_ne!(name_key("Nguyễn Văn An"), name_key("An Văn Nguyễn"));
        assert_eq!(name_key("Bà"), "ba");
        assert_eq!(name_key("!!!"), "");
    }

    #[test]
    fn addresses_are_alike_by_their_telling_words() {
        let a = address_key("Thôn 3, xã Ea Tu, tỉnh Đắk Lắk");
        assert_eq!(a, "3 ea tu dak lak");
        assert!(similar_addresses(&a, &address_key("thon 3 Ea Tu")));
        assert!(similar_addresses(&a, &address_key("Thôn 3, Ea Tu")));
        assert!(!similar_addresses(&a, &address_key("Thôn 3, xã Ea H'leo")));
        assert!(!similar_addresses(&a, &address_key("Tổ 7, phường Duy Tân")));
        assert!(!similar_addresses(&a, ""));
        assert!(!similar_addresses(&address_key("Thôn 3"), &a));
    }
}
