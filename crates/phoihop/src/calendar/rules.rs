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
pub use super::rule_form::RuleForm;
use super::rule_form::parse_form;
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
