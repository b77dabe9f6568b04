//! Values with a rule, parsed once at the edge (parse, don't validate). Each parse
//! error is a Vietnamese message for the person who typed the value.

use crate::i18n::Msg;

/// Longest free text accepted in a one-line field.
pub const MAX_LINE: usize = 300;

/// A name of a person or an organisation: normalised, trimmed, 2–300 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    pub fn parse(text: &str) -> Result<Name, Msg> {
        let text = collapse_spaces(&vntext::normalize(text));
        match text.chars().count() {
            0 => Err("Không được để trống."),
            1 => Err("Quá ngắn."),
            n if n > MAX_LINE => Err("Quá dài (tối đa 300 ký tự)."),
            _ if text.chars().any(char::is_control) => Err("Có ký tự không hợp lệ."),
            _ => Ok(Name(text)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The short code of an organisation used in document symbols: `BTGTU`, `SYT`,
/// `SGDĐT`. Upper-case letters (Đ included), digits and hyphens, 2–20 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgCode(String);

impl OrgCode {
    pub fn parse(text: &str) -> Result<OrgCode, Msg> {
        let code = vntext::normalize(text.trim()).to_uppercase();
        let len = code.chars().count();
        if len == 0 {
            return Err("Không được để trống.");
        }
        if !(2..=20).contains(&len) {
            return Err("Ký hiệu dài từ 2 đến 20 ký tự.");
        }
        if !code.chars().all(|c| c.is_alphanumeric() || c == '-') {
            return Err("Ký hiệu chỉ gồm chữ in hoa, chữ số và dấu gạch ngang.");
        }
        Ok(OrgCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A sign-in name: 3–64 characters of a–z, 0–9, `.`, `_`, `-`, stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

impl Username {
    pub fn parse(text: &str) -> Result<Username, Msg> {
        let name = text.trim().to_lowercase();
        if name.is_empty() {
            return Err("Không được để trống.");
        }
        if !(3..=64).contains(&name.len()) {
            return Err("Tên đăng nhập dài từ 3 đến 64 ký tự.");
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        {
            return Err("Tên đăng nhập chỉ gồm chữ không dấu, chữ số và . _ -");
        }
        Ok(Username(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address, checked for shape only (the mail server is the real judge).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    /// An address of ASCII letters and digits: a local part of the characters the
    /// standard allows unquoted (RFC 5322 `dot-atom`: letters, digits and
    /// ``!#$%&'*+/=?^_`{|}~-``, in dot-separated runs), `@`, and a domain of two or more
    /// dot-separated labels of letters, digits and inner hyphens. Exactly what the
    /// API's JSON Schema pattern says (`case::fields::api::EMAIL`).
    pub fn parse(text: &str) -> Result<Email, Msg> {
        let text = text.trim();
        let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
        let label = |l: &str| {
            !l.is_empty()
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        let ok = text.len() <= 254
            && text.split_once('@').is_some_and(|(local, domain)| {
                local
                    .split('.')
                    .all(|run| !run.is_empty() && run.chars().all(atext))
                    && domain.split('.').count() >= 2
                    && domain.split('.').all(label)
            });
        if ok {
            Ok(Email(text.to_owned()))
        } else {
            Err("Địa chỉ thư điện tử không đúng dạng (ví dụ: ten@so.gov.vn).")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number: digits with optional leading `+` and spaces, dots or hyphens;
/// 9–15 digits. Stored as typed, without the separators.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    pub fn parse(text: &str) -> Result<Phone, Msg> {
        let text = text.trim();
        let plus = text.starts_with('+');
        let body = text.strip_prefix('+').unwrap_or(text);
        if !body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-'))
        {
            return Err("Số điện thoại chỉ gồm chữ số (có thể có dấu + ở đầu).");
        }
        let digits: String = body.chars().filter(char::is_ascii_digit).collect();
        if !(9..=15).contains(&digits.len()) {
            return Err("Số điện thoại có từ 9 đến 15 chữ số.");
        }
        Ok(Phone(if plus { format!("+{digits}") } else { digits }))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: 8–128 characters. Long passphrases are welcome; no composition rules.
pub fn check_new_password(password: &str) -> Result<(), Msg> {
    match password.chars().count() {
        0 => Err("Không được để trống."),
        n if n < 8 => Err("Mật khẩu cần ít nhất 8 ký tự."),
        n if n > 128 => Err("Mật khẩu dài tối đa 128 ký tự."),
        _ => Ok(()),
    }
}

fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Optional one-line text: empty becomes `None`.
pub fn optional<T>(text: &str, parse: impl Fn(&str) -> Result<T, Msg>) -> Result<Option<T>, Msg> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse(text).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_accept_vietnamese_capitals() {
        assert_eq!(OrgCode::parse(" sgdđt ").map(|c| c.0), Ok("SGDĐT".into()));
        assert!(OrgCode::parse("S Y T").is_err());
        assert!(OrgCode::parse("X").is_err());
    }

    /// The API's schema pattern says the same (checked by schemathesis from outside: an
    /// address it generated with `<` in the domain was once accepted).
    #[test]
    fn e_mail_addresses_are_a_dot_atom_at_a_domain_of_labels() {
        for good in [
            "ten@so.gov.vn",
            "a.b+c@x-y.vn",
            "o'brien@mail.example.com",
            "$`w@k.vn",
        ] {
            assert!(Email::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "$`W@K<e.Wx-Jd",
            "a..b@x.vn",
            ".a@x.vn",
            "a.@x.vn",
            "a@x",
            "a@-x.vn",
            "a@x-.vn",
            "a@x..vn",
            "a b@x.vn",
            "tên@so.gov.vn",
            "@x.vn",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn usernames_are_lower_case_ascii() {
        assert_eq!(
            Username::parse("DauMoi.SYT").map(|u| u.0),
            Ok("daumoi.syt".into())
        );
        assert!(Username::parse("đầu mối").is_err());
        assert!(Username::parse("ab").is_err());
    }

    #[test]
    fn names_are_normalised_and_bounded() {
        assert_eq!(
            Name::parse("  Sở   Y\u{00A0}tế ").map(|n| n.0),
            Ok("Sở Y tế".into())
        );
        assert!(Name::parse("").is_err());
        assert!(Name::parse(&"a".repeat(301)).is_err());
    }

    #[test]
    fn phones_and_emails_have_a_shape() {
        assert_eq!(
            Phone::parse("0260 3862 123").map(|p| p.0),
            Ok("02603862123".into())
        );
        assert_eq!(
            Phone::parse("+84 912.345.678").map(|p| p.0),
            Ok("+84912345678".into())
        );
        assert!(Phone::parse("12ab").is_err());
        assert!(Email::parse("ten@so.gov.vn").is_ok());
        assert!(Email::parse("ten@localhost").is_err());
        assert!(Email::parse("a b@x.vn").is_err());
    }
}
