//! Legacy decoders checked against data made by other converters: glibc iconv for
//! TCVN 5712 (TCVN3), VISCII and CP1258 (`testdata/generate.sh`), and the published
//! VNI layout for VNI-Windows (`testdata/vni-vowels.tsv`).

use unicode_normalization::UnicodeNormalization;
use vntext::legacy::{Legacy, decode, detect};

/// (byte, expected UTF-8 or None when iconv refuses the byte) from a `*.bytes.tsv` file.
fn iconv_table(tsv: &str) -> Vec<(u8, Option<String>)> {
    tsv.lines()
        .map(|line| {
            let (byte, utf8) = line.split_once('\t').expect("tab");
            let byte = u8::from_str_radix(byte, 16).expect("hex byte");
            let utf8 = (utf8 != "-").then(|| {
                let bytes: Vec<u8> = (0..utf8.len())
                    .step_by(2)
                    .map(|i| u8::from_str_radix(&utf8[i..i + 2], 16).expect("hex"))
                    .collect();
                String::from_utf8(bytes).expect("utf-8")
            });
            (byte, utf8)
        })
        .collect()
}

fn check_every_byte(tsv: &str, encoding: Legacy) {
    let table = iconv_table(tsv);
    assert_eq!(table.len(), 256);
    for (byte, want) in table {
        let got = decode(&[byte], encoding);
        // A lone combining mark stays a combining mark: NFC has nothing to compose.
        let want = want.unwrap_or_else(|| "\u{FFFD}".to_string());
        assert_eq!(
            got,
            want.nfc().collect::<String>(),
            "{encoding:?} byte {byte:#04X}"
        );
    }
}

#[test]
fn tcvn3_decodes_every_byte_as_iconv_tcvn5712_1() {
    check_every_byte(
        include_str!("../../testdata/iconv/tcvn5712-1.bytes.tsv"),
        Legacy::Tcvn3,
    );
}

#[test]
fn viscii_decodes_every_byte_as_iconv() {
    check_every_byte(
        include_str!("../../testdata/iconv/viscii.bytes.tsv"),
        Legacy::Viscii,
    );
}

#[test]
fn cp1258_decodes_every_byte_as_iconv() {
    check_every_byte(
        include_str!("../../testdata/iconv/cp1258.bytes.tsv"),
        Legacy::Cp1258,
    );
}

const SENTENCES: &str = include_str!("../../testdata/sentences.txt");

#[test]
fn sentences_encoded_by_iconv_decode_to_the_original() {
    let cases: [(&[u8], Legacy); 3] = [
        (
            include_bytes!("../../testdata/iconv/sentences.tcvn5712-1"),
            Legacy::Tcvn3,
        ),
        (
            include_bytes!("../../testdata/iconv/sentences.viscii"),
            Legacy::Viscii,
        ),
        (
            include_bytes!("../../testdata/iconv/sentences.cp1258"),
            Legacy::Cp1258,
        ),
    ];
    for (bytes, encoding) in cases {
        assert_eq!(decode(bytes, encoding), SENTENCES, "{encoding:?}");
    }
}

#[test]
fn sentences_encoded_by_iconv_are_detected() {
    let cases: [(&[u8], Legacy); 3] = [
        (
            include_bytes!("../../testdata/iconv/sentences.tcvn5712-1"),
            Legacy::Tcvn3,
        ),
        (
            include_bytes!("../../testdata/iconv/sentences.viscii"),
            Legacy::Viscii,
        ),
        (
            include_bytes!("../../testdata/iconv/sentences.cp1258"),
            Legacy::Cp1258,
        ),
    ];
    for (bytes, encoding) in cases {
        assert_eq!(detect(bytes), Some(encoding));
        for line in bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            assert_eq!(detect(line), Some(encoding), "{encoding:?}: {line:?}");
        }
    }
    assert_eq!(detect(SENTENCES.as_bytes()), None, "UTF-8 is left alone");
}

fn vni_letters() -> Vec<(String, Vec<u8>)> {
    include_str!("../../testdata/vni-vowels.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let (letter, hex) = l.split_once('\t').expect("tab");
            let bytes = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
                .collect();
            (letter.to_string(), bytes)
        })
        .collect()
}

#[test]
fn vni_decodes_all_134_vietnamese_letters() {
    let letters = vni_letters();
    assert_eq!(letters.len(), 134);
    for (letter, bytes) in letters {
        assert_eq!(decode(&bytes, Legacy::Vni), letter, "{bytes:02X?}");
    }
}

/// VNI has no iconv codec: encode the sample sentences with the published table and
/// check that they decode, and are detected, as VNI.
#[test]
fn vni_sentences_round_trip_and_are_detected() {
    let table = vni_letters();
    let mut bytes = Vec::new();
    for c in SENTENCES.chars() {
        match table.iter().find(|(l, _)| l.chars().eq([c])) {
            Some((_, b)) => bytes.extend(b),
            None => bytes.extend(c.to_string().bytes()),
        }
    }
    assert_eq!(decode(&bytes, Legacy::Vni), SENTENCES);
    assert_eq!(detect(&bytes), Some(Legacy::Vni));
}
