//! Tests of vntext against data from outside the crate (glibc iconv's tables, the
//! underthesea tone rules, the VNI layout) and properties over generated input.
//! One test binary, one module per source.

mod legacy_tables;
mod properties;
mod underthesea;
