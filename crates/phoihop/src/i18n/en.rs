//! English for the Vietnamese strings of the interface. Keep sorted by area, not
//! alphabetically: a reader finds a page's strings together.

pub const PAIRS: &[(&str, &str)] = &[];
