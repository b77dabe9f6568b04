//! The form that adds a holiday rule, checked field by field: a date that exists in
//! every year of its calendar (no 30/2, no lunar 30 or 31, no month 13), a number of
//! days, years the calendar covers in order, a legal basis. Whether the rule meets
//! another is for `rules` to say, with the other rules in hand.

use time::Date;

use super::holidays::{HolidayRule, RuleCalendar};
use super::lunar;
use crate::error::FieldErrors;
use crate::i18n::Msg;

/// The add form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RuleForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    #[serde(default)]
    pub calendar: String,
    /// "dd/mm" of the rule's calendar.
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub days_before: String,
    #[serde(default)]
    pub days: String,
    #[serde(default)]
    pub from_year: String,
    #[serde(default)]
    pub to_year: String,
    /// A checkbox: present ("1") when ticked.
    #[serde(default)]
    pub compensatory: String,
    #[serde(default)]
    pub basis: String,
    /// The year the page showed, to go back to it.
    #[serde(default)]
    pub year: String,
}

const MAX_NAME: usize = 100;
const MAX_BASIS: usize = 300;
/// Longest block of days one rule gives (Tết is five).
pub const MAX_DAYS: u8 = 10;

fn one_line(text: &str) -> String {
    vntext::normalize(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn parse_text(text: &str, max: usize, empty: Msg, too_long: Msg) -> Result<String, Msg> {
    let text = one_line(text);
    match text.chars().count() {
        0 => Err(empty),
        n if n > max => Err(too_long),
        _ if text.chars().any(char::is_control) => Err("Có ký tự không hợp lệ."),
        _ => Ok(text),
    }
}

/// A day and month that exist in every year of `calendar`.
fn parse_date(text: &str, calendar: Option<RuleCalendar>) -> Result<(u8, u8), Msg> {
    let parts: Vec<&str> = text.trim().split(['/', '-', '.']).collect();
    let [d, m] = parts.as_slice() else {
        return Err("Ngày, tháng không hợp lệ; xin nhập dạng dd/mm, ví dụ 24/11.");
    };
    let (Ok(day), Ok(month)) = (d.trim().parse::<u8>(), m.trim().parse::<u8>()) else {
        return Err("Ngày, tháng không hợp lệ; xin nhập dạng dd/mm, ví dụ 24/11.");
    };
    match calendar {
        Some(RuleCalendar::Lunar) => match (day, month) {
            (_, 0) | (_, 13..) => Err(
                "Âm lịch chỉ có tháng 1 đến tháng 12 (tháng nhuận lặp lại một tháng trong số đó).",
            ),
            (0, _) | (31.., _) => Err("Tháng âm lịch có từ 29 đến 30 ngày; không có ngày này."),
            (30, _) => Err(
                "Ngày 30 âm lịch không có trong mọi năm (tháng thiếu có 29 ngày); xin lấy ngày 1 tháng sau và nghỉ từ một ngày trước đó.",
            ),
            _ => Ok((day, month)),
        },
        _ => match time::Month::try_from(month) {
            Err(_) => Err("Dương lịch chỉ có tháng 1 đến tháng 12."),
            Ok(time::Month::February) if day == 29 => {
                Err("Ngày 29/02 chỉ có trong năm nhuận; xin chọn ngày khác.")
            }
            // 2024 is a leap year: only days no year has are refused here.
            Ok(m) if Date::from_calendar_date(2024, m, day).is_err() => {
                Err("Ngày này không có trong dương lịch.")
            }
            Ok(_) => Ok((day, month)),
        },
    }
}

fn parse_year(text: &str, bad: Msg) -> Result<i32, Msg> {
    text.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| lunar::YEARS.contains(y))
        .ok_or(bad)
}

/// The form checked field by field, without looking at other rules.
pub(crate) fn parse_form(
    form: &RuleForm,
) -> std::result::Result<(HolidayRule, String), FieldErrors> {
    let mut errors = FieldErrors::new();
    let name = errors.check(
        "name",
        parse_text(
            &form.name,
            MAX_NAME,
            "Xin ghi tên ngày lễ.",
            "Quá dài (tối đa 100 ký tự).",
        ),
    );
    let name_en = one_line(&form.name_en);
    if name_en.chars().count() > MAX_NAME || name_en.chars().any(char::is_control) {
        errors.add("name_en", "Quá dài (tối đa 100 ký tự).");
    }
    let calendar = errors.check(
        "calendar",
        RuleCalendar::parse(&form.calendar).ok_or("Chọn dương lịch hoặc âm lịch."),
    );
    let date = errors.check("date", parse_date(&form.date, calendar));
    let days = errors.check(
        "days",
        form.days
            .trim()
            .parse::<u8>()
            .ok()
            .filter(|d| (1..=MAX_DAYS).contains(d))
            .ok_or("Số ngày nghỉ là một số nguyên từ 1 đến 10."),
    );
    let before = match form.days_before.trim() {
        "" => Some(0),
        text => errors.check(
            "days_before",
            text.parse::<u8>()
                .ok()
                .filter(|b| days.is_none_or(|d| *b < d) && *b < MAX_DAYS)
                .ok_or("Số ngày nghỉ trước ngày lễ là một số nguyên từ 0 và nhỏ hơn số ngày nghỉ."),
        ),
    };
    let from_year = errors.check(
        "from_year",
        parse_year(&form.from_year, "Năm bắt đầu là một năm từ 1900 đến 2199."),
    );
    let to_year = match form.to_year.trim() {
        "" => None,
        text => errors.check(
            "to_year",
            parse_year(text, "Năm cuối là một năm từ 1900 đến 2199, hoặc để trống."),
        ),
    };
    if let (Some(first), Some(last)) = (from_year, to_year)
        && first > last
    {
        errors.add("to_year", "Năm cuối không được trước năm bắt đầu.");
    }
    let basis = errors.check(
        "basis",
        parse_text(
            &form.basis,
            MAX_BASIS,
            "Xin ghi văn bản quy định (số, ngày ban hành).",
            "Quá dài (tối đa 300 ký tự).",
        ),
    );
    match (name, calendar, date, days, before, from_year, basis) {
        (
            Some(name),
            Some(calendar),
            Some((day, month)),
            Some(days),
            Some(before),
            Some(from),
            Some(basis),
        ) if errors.is_empty() => {
            let rule = HolidayRule {
                id: 0,
                name,
                name_en,
                calendar,
                month,
                day,
                days_before: before,
                days,
                from_year: from,
                to_year,
                compensatory: !form.compensatory.trim().is_empty(),
            };
            Ok((rule, basis))
        }
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(calendar: &str, date: &str, days: &str) -> RuleForm {
        RuleForm {
            name: "Thử".into(),
            calendar: calendar.into(),
            date: date.into(),
            days: days.into(),
            from_year: "2030".into(),
            basis: "Văn bản".into(),
            ..RuleForm::default()
        }
    }

    fn error(form: &RuleForm, field: &str) -> Option<Msg> {
        parse_form(form).err().and_then(|e| e.get(field))
    }

    #[test]
    fn impossible_dates_are_refused_by_calendar() {
        for (calendar, date) in [
            ("solar", "30/2"),
            ("solar", "29/02"),
            ("solar", "31/4"),
            ("solar", "1/13"),
            ("lunar", "31/1"),
            ("lunar", "30/12"),
            ("lunar", "1/13"),
            ("lunar", "0/5"),
            ("solar", "24-11-2026"),
            ("solar", "hai tư"),
        ] {
            assert!(
                error(&form(calendar, date, "1"), "date").is_some(),
                "{calendar} {date}"
            );
        }
        assert!(parse_form(&form("lunar", "15/8", "1")).is_ok());
        assert!(parse_form(&form("solar", "31/12", "1")).is_ok());
    }

    #[test]
    fn days_and_years_are_checked() {
        for days in ["0", "-1", "11", "", "1.5"] {
            assert!(
                error(&form("solar", "1/6", days), "days").is_some(),
                "{days}"
            );
        }
        let mut f = form("solar", "1/6", "2");
        f.days_before = "2".into();
        assert!(error(&f, "days_before").is_some());
        let mut f = form("solar", "1/6", "1");
        f.to_year = "2029".into();
        assert_eq!(
            error(&f, "to_year"),
            Some("Năm cuối không được trước năm bắt đầu.")
        );
        f.from_year = "1899".into();
        assert!(error(&f, "from_year").is_some());
    }
}
