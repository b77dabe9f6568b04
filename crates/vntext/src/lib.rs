//! Vietnamese text for search and comparison.
//!
//! Officials paste text from many keyboards and many decades: NFD from one keyboard,
//! NFC from another, an Icelandic `ð` where `đ` was meant, zero-width characters from
//! web pages, *hoà* beside *hòa*, and documents still typed in the 8-bit fonts of the
//! 1990s (`.VnTime`, `VNI-Times`). This crate turns all of that into one form, the same
//! way for documents and for queries.
//!
//! The parts, in the order the search pipeline applies them:
//!
//! 1. [`legacy`]: legacy 8-bit encodings (TCVN3/ABC, VNI-Windows, VISCII, CP1258)
//!    decoded to Unicode, chosen from a font name ([`legacy::encoding_from_font`]) or by
//!    scoring the bytes ([`legacy::detect`]), never touching UTF-8 or plain ASCII.
//! 2. [`normalize`]: NFC, `ð` → `đ`, invisible characters removed. Keeps case and the
//!    writer's tone placement; the application uses it for what it stores and shows.
//! 3. [`normalize_tone`]: also moves each syllable's tone mark to one place, the
//!    traditional one (*kiểu cũ*). With *qu* and *gi* counted as consonants (so *quý*
//!    and *gìn* stay as they are), the mark goes on the vowel with a quality mark
//!    (ă â ê ô ơ ư; *ơ* in *ươ*), else on the middle of three vowels, else on the
//!    second of two when a final consonant follows (*hoàn*, *huỳnh*), else on the
//!    first (*hòa*, *khỏe*, *thủy*, *bài*). So *Tỉnh uỷ* and *Tỉnh ủy* both become
//!    *Tỉnh ủy*. Words that are not Vietnamese syllables (*café*) are left alone.
//! 4. [`canonical`]: [`normalize_tone`] in lower case, the *exact* search field.
//! 5. [`fold`]: no diacritics, `đ` → `d`, lower case, the *folded* search field
//!    ("dat dai" finds *đất đai*); [`folded_contains`] compares in that form.
//! 6. [`tokens`]: syllable tokens with byte offsets into the original text, carrying
//!    both forms, for an index with positions. Invisible characters never split a
//!    word; syllables that lost the space between them are read apart (*phản\u{AD}ánh*
//!    is *phản* + *ánh*).
//!
//! ```
//! assert_eq!(vntext::canonical("Tỉnh uỷ"), vntext::canonical("TỈNH ỦY"));
//! assert_eq!(vntext::fold("Đất đai"), "dat dai");
//! let bytes = b"Tr\xad\xeang"; // "Trường" typed in .VnTime (TCVN3)
//! assert_eq!(vntext::legacy::decode(bytes, vntext::legacy::Legacy::Tcvn3), "Trường");
//! ```

#![forbid(unsafe_code)]

pub mod legacy;
mod normalize;
mod segment;
mod token;
mod tone;

pub use normalize::{canonical, fold, fold_char, folded_contains, normalize, normalize_tone};
pub use token::{Token, spans, tokens};
