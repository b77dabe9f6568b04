//! One value of a field read from what was sent, as leniently as a person types it: a
//! form sends every value as text (`"1.500"`, `"29/11/2026"`, `"+84 912 345 678"`), the
//! API sends JSON types (the API's own strict check, `api.rs`, has already held those to
//! the document). Each reader gives `Ok(None)` for nothing sent, the value in the form it
//! is kept in, or the message saying what is wrong. No database here: references are
//! looked up in `read.rs`.

use serde_json::Value as Json;
use time::Date;

use crate::clock;
use crate::i18n::Msg;
use crate::org::values::Email;

use super::{Choice, DateRange, FIRST_YEAR, LAST_YEAR, MAX_LINE};
use crate::error::NUL;

/// Text, NFC, trimmed; empty is nothing.
pub fn text(value: &Json, max: usize) -> Result<Option<String>, Msg> {
    let raw = match value {
        Json::Null => return Ok(None),
        Json::String(s) => s,
        _ => return Err("Phải là một chuỗi."),
    };
    let too_long = if max == MAX_LINE {
        "Quá dài (tối đa 500 ký tự)."
    } else {
        "Quá dài (tối đa 100.000 ký tự)."
    };
    // Composing into NFC shortens a text by at most four to one (ᾇ is four code points
    // before), so anything longer than that is refused before the work of normalising.
    if raw.len() > 4 * 4 * max || raw.chars().count() > 4 * max {
        return Err(too_long);
    }
    let text = vntext::normalize(raw.trim());
    if text.contains('\0') {
        return Err(NUL);
    }
    match text.chars().count() {
        0 => Ok(None),
        n if n > max => Err(too_long),
        _ => Ok(Some(text)),
    }
}

/// The text of a value sent as a string, trimmed; `None` when empty or absent.
fn trimmed(value: &Json) -> Result<Option<&str>, Msg> {
    match value {
        Json::Null => Ok(None),
        Json::String(s) => Ok(Some(s.trim()).filter(|s| !s.is_empty())),
        _ => Err("Phải là một chuỗi."),
    }
}

/// A day as `dd/mm/yyyy` (or ISO `yyyy-mm-dd`), within the calendar's years and `range`
/// counted from `today`.
pub fn date(value: &Json, range: DateRange, today: Date) -> Result<Option<Date>, Msg> {
    let Some(text) = trimmed(value)? else {
        return Ok(None);
    };
    let date = clock::parse_user_date(text)
        .ok_or("Ngày không có thật hoặc không đúng dạng ngày/tháng/năm (ví dụ 29/11/2026).")?;
    if !(FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
        return Err("Năm phải từ 1900 đến 2199.");
    }
    match range {
        DateRange::UpToToday if date > today => Err("Không được là ngày trong tương lai."),
        DateRange::FromToday if date < today => Err("Không được là ngày đã qua."),
        _ => Ok(Some(date)),
    }
}

/// A whole number from `min` to `max`: a JSON integer (`3.0` counts, as JSON Schema
/// counts it), or digits as typed, with dots or spaces between groups of three as
/// Vietnamese writes thousands (`1.500` is one thousand five hundred).
pub fn number(value: &Json, min: i64, max: i64) -> Result<Option<i64>, Msg> {
    let n = match value {
        Json::Null => return Ok(None),
        Json::Number(n) => n.as_i64().or_else(|| {
            let f = n.as_f64()?;
            (f.fract() == 0.0 && f.abs() < 9.2e18).then_some(f as i64)
        }),
        Json::String(s) if s.trim().is_empty() => return Ok(None),
        Json::String(s) => typed_integer(s.trim()),
        _ => None,
    };
    let n = n.ok_or("Phải là một số nguyên (ví dụ 1500 hoặc 1.500).")?;
    if (min..=max).contains(&n) {
        Ok(Some(n))
    } else {
        Err("Số nằm ngoài giới hạn cho phép.")
    }
}

fn typed_integer(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let groups: Vec<&str> = digits.split(['.', ' ']).collect();
    let grouped = groups.len() > 1;
    let well_grouped = groups.iter().enumerate().all(|(i, g)| {
        !g.is_empty()
            && g.chars().all(|c| c.is_ascii_digit())
            && (!grouped || if i == 0 { g.len() <= 3 } else { g.len() == 3 })
    });
    if !well_grouped || digits.len() > 30 {
        return None;
    }
    let n: i64 = groups.concat().parse().ok()?;
    Some(if negative { -n } else { n })
}

/// One code of `list`.
pub fn choice(value: &Json, list: &'static [Choice]) -> Result<Option<&'static str>, Msg> {
    let Some(code) = trimmed(value)? else {
        return Ok(None);
    };
    list.iter()
        .find(|c| c.code == code)
        .map(|c| Some(c.code))
        .ok_or("Không có trong danh sách lựa chọn.")
}

/// An id (of a row another table holds): a JSON integer from 1, or its digits.
pub fn id(value: &Json) -> Result<Option<i64>, Msg> {
    let n = match value {
        Json::Null => return Ok(None),
        Json::String(s) if s.trim().is_empty() => return Ok(None),
        Json::String(s) => s.trim().parse().ok(),
        other => crate::kit::id(other),
    };
    n.filter(|n| *n >= 1)
        .map(Some)
        .ok_or("Phải là một số nguyên từ 1.")
}

/// Several ids: a JSON list, or (from a form) each value sent; at most `max`, each once.
pub fn ids(value: &Json, max: usize) -> Result<Vec<i64>, Msg> {
    let items: Vec<&Json> = match value {
        Json::Null => Vec::new(),
        Json::Array(items) => items.iter().collect(),
        single => vec![single],
    };
    if items.len() > max {
        return Err("Chọn quá nhiều (tối đa 500).");
    }
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match id(item) {
            Ok(Some(n)) if !out.contains(&n) => out.push(n),
            Ok(_) => {}
            Err(_) => return Err("Phải là một danh sách các số nguyên từ 1."),
        }
    }
    Ok(out)
}

/// Case numbers: a JSON list, or text with numbers separated by commas, spaces or lines;
/// upper case, each once, at most `max`.
pub fn case_numbers(value: &Json, max: usize) -> Result<Vec<String>, Msg> {
    let raw: Vec<&str> = match value {
        Json::Null => Vec::new(),
        Json::Array(items) => items
            .iter()
            .map(|v| v.as_str().ok_or("Phải là một danh sách số hồ sơ."))
            .collect::<Result<_, _>>()?,
        Json::String(s) => s.split([',', ' ', '\n', ';']).collect(),
        _ => return Err("Phải là một danh sách số hồ sơ."),
    };
    let mut out: Vec<String> = Vec::new();
    for number in raw {
        let number = number.trim().to_uppercase();
        if number.contains('\0') {
            return Err(NUL);
        }
        if !number.is_empty() && !out.contains(&number) {
            if out.len() == max {
                return Err("Nhiều số hồ sơ quá (tối đa 500).");
            }
            out.push(number);
        }
    }
    Ok(out)
}

/// A Vietnamese phone number, kept as 0 and 9–10 digits: spaces, dots, hyphens and
/// brackets between digits are dropped, and +84 stands for the leading 0.
pub fn phone(value: &Json) -> Result<Option<String>, Msg> {
    let Some(text) = trimmed(value)? else {
        return Ok(None);
    };
    let wrong = "Số điện thoại không đúng: số 0 và 9–10 chữ số (có thể viết +84 thay số 0).";
    let compact: String = text
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
        .collect();
    let national = match compact.strip_prefix("+84") {
        Some(rest) => format!("0{rest}"),
        None => compact,
    };
    let digits = national.as_bytes();
    let ok = digits.first() == Some(&b'0')
        && digits.get(1).is_some_and(|d| (b'1'..=b'9').contains(d))
        && (10..=11).contains(&digits.len())
        && digits.iter().all(u8::is_ascii_digit);
    if ok { Ok(Some(national)) } else { Err(wrong) }
}

/// An e-mail address, checked for shape as everywhere else (`org::values::Email`).
pub fn email(value: &Json) -> Result<Option<String>, Msg> {
    let Some(text) = trimmed(value)? else {
        return Ok(None);
    };
    Email::parse(text).map(|e| Some(e.as_str().to_owned()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use time::macros::date;

    use super::*;
    use crate::case::fields::MAX_TEXT;

    const TODAY: Date = date!(2026 - 03 - 15);

    #[test]
    fn text_is_normalised_and_a_million_characters_are_refused_at_once() {
        assert_eq!(
            text(&json!("  Tỉnh uỷ  "), MAX_LINE),
            Ok(Some(vntext::normalize("Tỉnh uỷ")))
        );
        assert_eq!(text(&json!("   "), MAX_LINE), Ok(None));
        assert_eq!(text(&json!(null), MAX_LINE), Ok(None));
        assert!(text(&json!(5), MAX_LINE).is_err());
        assert!(text(&json!("a\u{0}b"), MAX_LINE).is_err());
        assert_eq!(
            text(&json!("x".repeat(501)), MAX_LINE),
            Err("Quá dài (tối đa 500 ký tự).")
        );
        let million = json!("ệ".repeat(1_000_000));
        let started = std::time::Instant::now();
        assert_eq!(
            text(&million, MAX_TEXT),
            Err("Quá dài (tối đa 100.000 ký tự).")
        );
        assert!(started.elapsed() < std::time::Duration::from_millis(100));
        // Decomposed text that composes within the limit is kept.
        let decomposed = "e\u{302}\u{323}".repeat(500);
        assert_eq!(
            text(&json!(decomposed), MAX_LINE),
            Ok(Some("ệ".repeat(500)))
        );
    }

    #[test]
    fn dates_are_read_as_people_write_them_and_held_to_their_range() {
        assert_eq!(
            date(&json!("29/11/2025"), DateRange::Any, TODAY),
            Ok(Some(date!(2025 - 11 - 29)))
        );
        assert_eq!(
            date(&json!("2025-11-29"), DateRange::Any, TODAY),
            Ok(Some(date!(2025 - 11 - 29)))
        );
        assert_eq!(date(&json!(""), DateRange::Any, TODAY), Ok(None));
        assert!(date(&json!("31/02/2026"), DateRange::Any, TODAY).is_err());
        assert!(date(&json!("29/02/2025"), DateRange::Any, TODAY).is_err());
        assert_eq!(
            date(&json!("29/02/2024"), DateRange::Any, TODAY),
            Ok(Some(date!(2024 - 02 - 29)))
        );
        assert!(date(&json!("hôm qua"), DateRange::Any, TODAY).is_err());
        assert_eq!(
            date(&json!("1850-01-01"), DateRange::Any, TODAY),
            Err("Năm phải từ 1900 đến 2199.")
        );
        assert_eq!(
            date(&json!("16/03/2026"), DateRange::UpToToday, TODAY),
            Err("Không được là ngày trong tương lai.")
        );
        assert!(date(&json!("15/03/2026"), DateRange::UpToToday, TODAY).is_ok());
        assert_eq!(
            date(&json!("14/03/2026"), DateRange::FromToday, TODAY),
            Err("Không được là ngày đã qua.")
        );
        assert!(date(&json!(20260314), DateRange::Any, TODAY).is_err());
    }

    #[test]
    fn numbers_are_whole_within_their_range_and_may_be_grouped_by_thousands() {
        assert_eq!(number(&json!(42), 0, 100), Ok(Some(42)));
        assert_eq!(number(&json!(42.0), 0, 100), Ok(Some(42)));
        assert_eq!(number(&json!("1.500"), 0, 10_000), Ok(Some(1500)));
        assert_eq!(
            number(&json!("1 500 000"), 0, 2_000_000),
            Ok(Some(1_500_000))
        );
        assert_eq!(number(&json!("-3"), -5, 5), Ok(Some(-3)));
        assert_eq!(number(&json!(""), 0, 5), Ok(None));
        assert!(number(&json!("1.5"), 0, 100).is_err());
        assert!(number(&json!("1,5"), 0, 100).is_err());
        assert!(number(&json!(4.5), 0, 100).is_err());
        assert!(number(&json!("mười"), 0, 100).is_err());
        assert_eq!(
            number(&json!(101), 0, 100),
            Err("Số nằm ngoài giới hạn cho phép.")
        );
        assert!(number(&json!("99999999999999999999999"), 0, 100).is_err());
    }

    use crate::case::kinds::sample::LEVELS;

    #[test]
    fn a_choice_must_be_one_of_its_list() {
        assert_eq!(choice(&json!("province"), LEVELS), Ok(Some("province")));
        assert_eq!(choice(&json!(" commune "), LEVELS), Ok(Some("commune")));
        assert_eq!(choice(&json!(""), LEVELS), Ok(None));
        assert_eq!(
            choice(&json!("district"), LEVELS),
            Err("Không có trong danh sách lựa chọn.")
        );
        assert!(choice(&json!(1), LEVELS).is_err());
    }

    #[test]
    fn vietnamese_phone_numbers_are_kept_with_their_leading_zero() {
        assert_eq!(phone(&json!("0912 345 678")), Ok(Some("0912345678".into())));
        assert_eq!(
            phone(&json!("+84 912.345.678")),
            Ok(Some("0912345678".into()))
        );
        assert_eq!(
            phone(&json!("(0260) 3862-123")),
            Ok(Some("02603862123".into()))
        );
        assert!(phone(&json!("912345678")).is_err());
        assert!(phone(&json!("+1 202 555 0100")).is_err());
        assert!(phone(&json!("0012345678")).is_err());
        assert!(phone(&json!("091234567")).is_err());
        assert!(phone(&json!("091234567890")).is_err());
        assert!(phone(&json!("09123abc78")).is_err());
    }

    #[test]
    fn e_mail_addresses_have_a_shape() {
        assert_eq!(
            email(&json!(" ten@so.gov.vn ")),
            Ok(Some("ten@so.gov.vn".into()))
        );
        assert!(email(&json!("ten@localhost")).is_err());
        assert!(email(&json!("a b@so.vn")).is_err());
    }

    #[test]
    fn references_are_ids_from_one_each_once() {
        assert_eq!(id(&json!("12")), Ok(Some(12)));
        assert_eq!(id(&json!(12)), Ok(Some(12)));
        assert!(id(&json!(0)).is_err());
        assert!(id(&json!("x")).is_err());
        assert_eq!(ids(&json!(["3", 3, 5]), 10), Ok(vec![3, 5]));
        assert!(ids(&json!([1, "x"]), 10).is_err());
        assert!(ids(&json!((1..=11).collect::<Vec<_>>()), 10).is_err());
        assert_eq!(
            case_numbers(&json!("vv-2026-0001, VV-2026-0002\nVV-2026-0001"), 10),
            Ok(vec!["VV-2026-0001".to_owned(), "VV-2026-0002".to_owned()])
        );
        assert!(case_numbers(&json!([1]), 10).is_err());
    }
}
