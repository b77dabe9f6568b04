//! The ways to reach a complainant and tell them apart. Phone numbers and e-mail
//! addresses are the values people's accounts use ([`Phone`], [`Email`]); the identity
//! number is a complainant's own. Each is checked once, when typed.

pub use crate::org::values::{Email, Phone};

use crate::i18n::Msg;

/// A phone number as the escalation check compares it: the national form, so that
/// `+84 905 123 456`, `84905123456` and `0905.123.456` are one number.
pub fn phone_key(phone: &str) -> String {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    // A Vietnamese number starts with 0 within the country; 84 is the country code.
    match digits.strip_prefix("84") {
        Some(rest) => format!("0{rest}"),
        None => digits,
    }
}

/// A personal identity number: the 12 digits of a citizen identity card or personal
/// identification number (căn cước, số định danh cá nhân), or the 9 of an old identity
/// card (chứng minh nhân dân). Kept as digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityNumber(String);

pub const BAD_IDENTITY: Msg =
    "Số căn cước (số định danh cá nhân) gồm 12 chữ số; chứng minh nhân dân cũ gồm 9 chữ số.";

impl IdentityNumber {
    pub fn parse(typed: &str) -> Result<IdentityNumber, Msg> {
        let kept: String = typed
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '\u{a0}'))
            .collect();
        if kept.bytes().all(|b| b.is_ascii_digit()) && matches!(kept.len(), 9 | 12) {
            Ok(IdentityNumber(kept))
        } else {
            Err(BAD_IDENTITY)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
pub(super) fn messages() -> Vec<Msg> {
    vec![BAD_IDENTITY]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_number_is_one_key_however_it_is_typed() {
        for typed in [
            "0905 123 456",
            "0905.123.456",
            "+84 905 123 456",
            "84905123456",
        ] {
            let phone = Phone::parse(typed).expect("a phone number");
            assert_eq!(phone_key(phone.as_str()), "0905123456", "{typed}");
        }
        // A landline with its area code keeps its 11 digits.
        assert_eq!(phone_key("02603862123"), "02603862123");
    }

    #[test]
    fn an_identity_number_has_twelve_digits_or_nine_for_an_old_card() {
        assert_eq!(
            IdentityNumber::parse("062 090 001 234").map(|n| n.0),
            Ok("062090001234".into())
        );
        assert_eq!(
            IdentityNumber::parse("233123456").map(|n| n.0),
            Ok("233123456".into())
        );
        for bad in ["", "0620900012", "06209000123a", "0620900012345"] {
            assert_eq!(IdentityNumber::parse(bad), Err(BAD_IDENTITY), "{bad}");
        }
    }
}
