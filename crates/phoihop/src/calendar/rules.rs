//! The holiday rules (table `holiday_rules`) as the administrator keeps them: the days
//! off by law, each with its date (solar or lunar), its number of days, the years it
//! applies and whether a weekend occurrence is given back. The Labour Code 2019 days
//! and 24/11 come with the migration (0009). Nothing is deleted: a rule that no longer
//! holds is ended by setting its last year; both adding and ending leave an audit row.

use std::collections::BTreeSet;

use time::Date;

use super::cache::{self, RULE_COLUMNS};
use super::holidays::{HolidayRule, RuleCalendar};
use super::lunar;
use crate::audit::{self, Who};
use crate::clock;
use crate::db::{Conn, DbError};
use crate::error::{Error, FieldErrors, Result};
use crate::i18n::Msg;
use crate::params;

/// A rule as the administration page lists it.
#[derive(Debug, Clone)]
pub struct RuleLine {
    pub rule: HolidayRule,
    pub basis: String,
    /// `None` for a rule shipped with the product.
    pub created_by: Option<String>,
    pub created_at: i64,
    pub ended_by: Option<String>,
    pub ended_at: Option<i64>,
}

impl RuleLine {
    /// A last year before the first: it never applied.
    pub fn never_applied(&self) -> bool {
        self.rule
            .to_year
            .is_some_and(|last| last < self.rule.from_year)
    }
}

/// Every rule, oldest first.
pub fn list(conn: &mut dyn Conn) -> Result<Vec<RuleLine>> {
    let columns = RULE_COLUMNS
        .split(", ")
        .map(|c| format!("r.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    conn.query(
        &format!(
            "SELECT {columns}, r.basis, c.display_name, r.created_at, e.display_name, r.ended_at
             FROM holiday_rules r
             LEFT JOIN users c ON c.id = r.created_by
             LEFT JOIN users e ON e.id = r.ended_by
             ORDER BY r.id"
        ),
        &[],
    )?
    .iter()
    .map(|r| {
        Ok(RuleLine {
            rule: cache::rule_from_row(r)?,
            basis: r.get(11)?,
            created_by: r.get(12)?,
            created_at: r.get(13)?,
            ended_by: r.get(14)?,
            ended_at: r.get(15)?,
        })
    })
    .collect()
}

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

/// Another rule giving one of the same days: which, and the first day they share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub name: String,
    pub day: Date,
}

/// Why a rule was refused: the fields, and for an overlap the rule it meets.
#[derive(Debug)]
pub enum Refused {
    Invalid(FieldErrors, Option<Clash>),
    Other(Error),
}

impl From<Error> for Refused {
    fn from(e: Error) -> Refused {
        Refused::Other(e)
    }
}

impl From<DbError> for Refused {
    fn from(e: DbError) -> Refused {
        Refused::Other(e.into())
    }
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
fn parse_form(form: &RuleForm) -> std::result::Result<(HolidayRule, String), FieldErrors> {
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

/// Every day `rule` gives, over the years the calendar covers.
fn days_given(rule: &HolidayRule) -> BTreeSet<Date> {
    let last = rule.to_year.unwrap_or(*lunar::YEARS.end());
    (rule.from_year.max(*lunar::YEARS.start())..=last.min(*lunar::YEARS.end()))
        .flat_map(|year| rule.days_of(year))
        .collect()
}

/// The first day `rule` shares with another rule, in a year both apply.
fn first_clash(rule: &HolidayRule, others: &[HolidayRule]) -> Option<Clash> {
    let mine = days_given(rule);
    let (first, last) = (mine.first()?, mine.last()?);
    others
        .iter()
        .filter_map(|other| {
            // Only the other's rule years that can reach the dates of this one.
            let from = other.from_year.max(first.year() - 1);
            let to = other.to_year.unwrap_or(i32::MAX).min(last.year() + 1);
            (from..=to)
                .flat_map(|year| other.days_of(year))
                .find(|d| mine.contains(d))
                .map(|day| Clash {
                    name: other.name.clone(),
                    day,
                })
        })
        .min_by_key(|c| c.day)
}

const OVERLAP: Msg = "Quy tắc này trùng ngày nghỉ với một quy tắc khác trong cùng năm.";

/// Adds a rule from the form after checking it, field by field and against every
/// other rule: no day given twice in a year both apply.
pub fn add_rule(
    conn: &mut dyn Conn,
    who: &Who,
    form: &RuleForm,
) -> std::result::Result<i64, Refused> {
    let user_id = who.user_id.ok_or(Error::Forbidden)?;
    let (rule, basis) = parse_form(form).map_err(|e| Refused::Invalid(e, None))?;
    // Taken first, so that two administrators adding rules at once check one after
    // the other (the row lock on PostgreSQL, the single writer on SQLite).
    conn.execute("UPDATE calendar_version SET v = v + 1 WHERE id = 1", &[])?;
    let others = cache::rules(conn)?;
    if let Some(clash) = first_clash(&rule, &others) {
        return Err(Refused::Invalid(
            FieldErrors(vec![("date", OVERLAP)]),
            Some(clash),
        ));
    }
    let id: i64 = conn.scalar(
        "INSERT INTO holiday_rules (name, name_en, calendar, month, day, days_before, days,
             from_year, to_year, compensatory, basis, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        params![
            rule.name.as_str(),
            rule.name_en.as_str(),
            rule.calendar.code(),
            i64::from(rule.month),
            i64::from(rule.day),
            i64::from(rule.days_before),
            i64::from(rule.days),
            i64::from(rule.from_year),
            rule.to_year.map(i64::from),
            rule.compensatory,
            basis.as_str(),
            user_id,
            clock::now_ms()
        ],
    )?;
    audit::record(
        conn,
        who,
        audit::action::HOLIDAY_RULE_ADDED,
        ("holiday_rule", &id.to_string()),
        &format!("{}: {}; {basis}", rule.name, describe(&rule)),
    )?;
    Ok(id)
}

/// "âm lịch 01/01, 5 ngày từ 1 ngày trước, 1900–, nghỉ bù": the rule in one line.
fn describe(rule: &HolidayRule) -> String {
    let calendar = match rule.calendar {
        RuleCalendar::Solar => "dương lịch",
        RuleCalendar::Lunar => "âm lịch",
    };
    let mut text = format!("{calendar} {}, {} ngày", rule.date_shown(), rule.days);
    if rule.days_before > 0 {
        text.push_str(&format!(" từ {} ngày trước", rule.days_before));
    }
    text.push_str(&format!(", {}–", rule.from_year));
    if let Some(last) = rule.to_year {
        text.push_str(&last.to_string());
    }
    if rule.compensatory {
        text.push_str(", nghỉ bù");
    }
    text
}

/// Ends rule `id`: `last_year` is the last year it applies (the year before its first
/// when it never should have). Only ever earlier than its current last year.
pub fn end_rule(conn: &mut dyn Conn, who: &Who, id: i64, last_year: &str) -> Result<()> {
    let user_id = who.user_id.ok_or(Error::Forbidden)?;
    let row = conn
        .query_opt(
            &format!("SELECT {RULE_COLUMNS} FROM holiday_rules WHERE id = $1"),
            params![id],
        )?
        .ok_or(Error::NotFound)?;
    let rule = cache::rule_from_row(&row)?;
    let bad = "Năm cuối áp dụng là một năm từ năm trước năm bắt đầu của quy tắc, sớm hơn năm cuối hiện có.";
    let last: i32 = last_year
        .trim()
        .parse()
        .ok()
        .filter(|y| *y >= rule.from_year - 1 && rule.to_year.is_none_or(|t| *y < t))
        .ok_or(Error::field("to_year", bad))?;
    conn.execute(
        "UPDATE holiday_rules SET to_year = $1, ended_at = $2, ended_by = $3 WHERE id = $4",
        params![i64::from(last), clock::now_ms(), user_id, id],
    )?;
    audit::record(
        conn,
        who,
        audit::action::HOLIDAY_RULE_ENDED,
        ("holiday_rule", &id.to_string()),
        &format!("{}: năm cuối {last}", rule.name),
    )?;
    Ok(())
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
