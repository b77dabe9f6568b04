//! The working-day calendar as each node keeps it in memory: the holiday rules, the
//! administrator's entries in force, and (inside the [`Law`]) every year computed from
//! the rules so far. Deadlines are counted in every case write, so loading it must cost
//! one small read, not the two tables and a lunar computation.
//!
//! Validity: `calendar_version.v` (migration 0009) changes in the same transaction as
//! any change to `holiday_rules` or `calendar_days` (database triggers, so every writer
//! is covered: the pages, a restore, a test) and starts at a random number per
//! database. Nodes share nothing but the database: another node's change shows up here
//! as a new `v`, and the next deadline counted anywhere uses it.
//!
//! Never load the calendar after changing its tables in the same transaction: what it
//! read would be kept under a version that a rollback may give to other rows.

use std::sync::{Arc, Mutex};

use time::Date;

use super::WorkingDayCalendar;
use super::entries::DayKind;
use super::holidays::{HolidayRule, Law, RuleCalendar};
use crate::clock;
use crate::db::{Conn, DbError, Row};
use crate::error::Result;

/// Calendars by the version they were read at; a few, for tests that run several
/// databases in one process (their versions differ: each starts at random).
static CACHE: Mutex<Vec<(i64, WorkingDayCalendar)>> = Mutex::new(Vec::new());
const KEEP: usize = 4;

fn version(conn: &mut dyn Conn) -> Result<i64> {
    Ok(conn.scalar("SELECT v FROM calendar_version WHERE id = 1", &[])?)
}

/// The working-day calendar with every rule and every entry in force: what deadlines
/// count on. One read of the version when this node holds it already.
pub fn load(conn: &mut dyn Conn) -> Result<WorkingDayCalendar> {
    let before = version(conn)?;
    {
        let kept = CACHE.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, hit)) = kept.iter().rev().find(|(v, _)| *v == before) {
            return Ok(hit.clone());
        }
    }
    let law = Arc::new(Law::new(rules(conn)?));
    let calendar = WorkingDayCalendar::new(law, entries(conn)?);
    // Kept only when nothing committed in between (outside a snapshot, each statement
    // sees the latest commits): then the rows read are exactly those of `before`.
    if version(conn)? == before {
        let mut kept = CACHE.lock().unwrap_or_else(|p| p.into_inner());
        kept.retain(|(v, _)| *v != before);
        if kept.len() >= KEEP {
            kept.remove(0);
        }
        kept.push((before, calendar.clone()));
    }
    Ok(calendar)
}

/// The columns [`rule_from_row`] reads, in its order.
pub(crate) const RULE_COLUMNS: &str = "id, name, name_en, calendar, month, day, days_before, \
     days, from_year, to_year, compensatory";

/// Every rule, ended ones included (their years say when they applied), by id.
pub(crate) fn rules(conn: &mut dyn Conn) -> Result<Vec<HolidayRule>> {
    conn.query(
        &format!("SELECT {RULE_COLUMNS} FROM holiday_rules ORDER BY id"),
        &[],
    )?
    .iter()
    .map(|r| Ok(rule_from_row(r)?))
    .collect()
}

pub(crate) fn rule_from_row(r: &Row) -> Result<HolidayRule, DbError> {
    let small = |i: usize| -> Result<u8, DbError> {
        let n: i64 = r.get(i)?;
        u8::try_from(n).map_err(|_| DbError::Decode(format!("holiday rule column {i}: {n}")))
    };
    let year =
        |n: i64| i32::try_from(n).map_err(|_| DbError::Decode(format!("holiday rule year {n}")));
    let calendar: String = r.get(3)?;
    let to_year: Option<i64> = r.get(9)?;
    Ok(HolidayRule {
        id: r.get(0)?,
        name: r.get(1)?,
        name_en: r.get(2)?,
        calendar: RuleCalendar::parse(&calendar)
            .ok_or_else(|| DbError::Decode(format!("holiday rule calendar {calendar:?}")))?,
        month: small(4)?,
        day: small(5)?,
        days_before: small(6)?,
        days: small(7)?,
        from_year: year(r.get(8)?)?,
        to_year: to_year.map(year).transpose()?,
        compensatory: r.get(10)?,
    })
}

fn entries(conn: &mut dyn Conn) -> Result<Vec<(Date, DayKind)>> {
    let rows = conn.query(
        "SELECT day, kind FROM calendar_days WHERE withdrawn_at IS NULL",
        &[],
    )?;
    rows.iter()
        .map(|r| {
            let (day, kind): (String, String) = (r.get(0)?, r.get(1)?);
            let day = clock::parse_iso_date(&day)
                .ok_or_else(|| DbError::Decode(format!("calendar day {day:?}")))?;
            let kind = DayKind::parse(&kind)
                .ok_or_else(|| DbError::Decode(format!("calendar day kind {kind:?}")))?;
            Ok((day, kind))
        })
        .collect()
}
