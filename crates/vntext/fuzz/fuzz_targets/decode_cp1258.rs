//! Decoding any bytes as Cp1258 must not panic and must give text that is already
//! normalised; detection on the same bytes must not panic either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vntext::legacy::{Legacy, decode, detect};

fuzz_target!(|data: &[u8]| {
    let text = decode(data, Legacy::Cp1258);
    assert_eq!(
        vntext::normalize(&text),
        vntext::normalize(&vntext::normalize(&text))
    );
    let _ = vntext::canonical(&text);
    let _ = detect(data);
});
