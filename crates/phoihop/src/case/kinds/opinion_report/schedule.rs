//! Reporting schedules (lịch báo cáo định kỳ) as stored: a history per collaborator in
//! `report_schedules` (migration 0013). A change is a new row in force from a date,
//! never an update or a delete, so the reports a past period expected stay what they
//! were; every change is audited. The dates are [`super::period`]'s.

use time::{Date, Duration};

use crate::access::Role;
use crate::audit::{self, Who};
use crate::clock;
use crate::db::{Conn, DbError, Row};
use crate::error::{Error, FieldErrors, Result};
use crate::i18n::Lang;
use crate::org::people;
use crate::params;

use super::period::{Cadence, DueDay, Entry, MAX_DUE_DAY, Rule};

/// A reminder at most this many days before the due date.
pub const MAX_REMIND_DAYS: u8 = 20;
/// Reminders come this many days before the due date unless the schedule says.
pub const DEFAULT_REMIND_DAYS: u8 = 3;
/// A schedule is set at most this far ahead.
const MAX_DAYS_AHEAD: i64 = 366;

/// One row of a collaborator's schedule history.
#[derive(Debug, Clone)]
pub struct ScheduleRow {
    pub id: i64,
    pub entry: Entry,
    /// The username of whoever set it (none for the demo's rows).
    pub set_by: Option<String>,
    pub created_at: i64,
}

impl ScheduleRow {
    pub fn valid_from_shown(&self) -> String {
        clock::format_date(self.entry.valid_from)
    }

    fn from_row(r: &Row) -> Result<ScheduleRow> {
        let cadence: String = r.get(1)?;
        let due_day: Option<i64> = r.get(2)?;
        let remind_days: i64 = r.get(3)?;
        let valid_from: String = r.get(4)?;
        let stored = || Error::Db(DbError::Decode(format!("report_schedules: {cadence}")));
        let due = || match due_day {
            Some(0) => Some(DueDay::LastDay),
            Some(day) => u8::try_from(day).ok().map(DueDay::Day),
            None => None,
        };
        let rule = match cadence.as_str() {
            "monthly" => Rule::Regular(Cadence::Monthly, due().ok_or_else(stored)?),
            "quarterly" => Rule::Regular(Cadence::Quarterly, due().ok_or_else(stored)?),
            _ => Rule::AdHoc,
        };
        Ok(ScheduleRow {
            id: r.get(0)?,
            entry: Entry {
                valid_from: clock::parse_iso_date(&valid_from).ok_or_else(stored)?,
                rule,
                remind_days: u8::try_from(remind_days).unwrap_or(DEFAULT_REMIND_DAYS),
            },
            set_by: r.get(5)?,
            created_at: r.get(6)?,
        })
    }
}

/// `user_id`'s schedule history, oldest first (the order [`super::period`] reads it in).
pub fn history(conn: &mut dyn Conn, user_id: i64) -> Result<Vec<ScheduleRow>> {
    conn.query(
        "SELECT s.id, s.cadence, s.due_day, s.remind_days, s.valid_from, u.username, s.created_at
         FROM report_schedules s LEFT JOIN users u ON u.id = s.created_by
         WHERE s.user_id = $1 ORDER BY s.valid_from, s.id",
        params![user_id],
    )?
    .iter()
    .map(ScheduleRow::from_row)
    .collect()
}

/// Every active collaborator's schedule history, with their organisation, oldest
/// first within each: what the daily job reads, in one statement.
pub fn all_active(conn: &mut dyn Conn) -> Result<Vec<(i64, i64, ScheduleRow)>> {
    conn.query(
        "SELECT s.id, s.cadence, s.due_day, s.remind_days, s.valid_from, NULL, s.created_at,
                c.id, c.organisation_id
         FROM report_schedules s JOIN users c ON c.id = s.user_id
         WHERE c.active = 1 AND c.role = $1
         ORDER BY s.user_id, s.valid_from, s.id",
        params![Role::Collaborator.code()],
    )?
    .iter()
    .map(|r| Ok((r.get(7)?, r.get(8)?, ScheduleRow::from_row(r)?)))
    .collect()
}

/// The entries of a history, for the arithmetic.
pub fn entries(rows: &[ScheduleRow]) -> Vec<Entry> {
    rows.iter().map(|r| r.entry).collect()
}

/// A rule as people read it: *Hằng tháng, hạn ngày 5 của tháng sau kỳ báo cáo*.
pub fn describe(rule: Rule, lang: Lang) -> String {
    let day = |due: DueDay| match (due, lang) {
        (DueDay::Day(n), Lang::Vi) => format!("ngày {n}"),
        (DueDay::LastDay, Lang::Vi) => "ngày cuối".to_owned(),
        (DueDay::Day(n), Lang::En) => format!("day {n}"),
        (DueDay::LastDay, Lang::En) => "the last day".to_owned(),
    };
    match (rule, lang) {
        (Rule::Regular(Cadence::Monthly, due), Lang::Vi) => {
            format!("Hằng tháng, hạn {} của tháng sau kỳ báo cáo", day(due))
        }
        (Rule::Regular(Cadence::Quarterly, due), Lang::Vi) => {
            format!("Hằng quý, hạn {} của tháng đầu quý sau", day(due))
        }
        (Rule::AdHoc, Lang::Vi) => "Đột xuất (không có báo cáo định kỳ)".to_owned(),
        (Rule::Regular(Cadence::Monthly, due), Lang::En) => {
            format!("Monthly, due by {} of the following month", day(due))
        }
        (Rule::Regular(Cadence::Quarterly, due), Lang::En) => {
            format!(
                "Quarterly, due by {} of the month after the quarter",
                day(due)
            )
        }
        (Rule::AdHoc, Lang::En) => "Ad hoc (no periodic report)".to_owned(),
    }
}

/// What a person types to set a schedule, before parsing.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ScheduleForm {
    /// `monthly`, `quarterly` or `ad_hoc`.
    #[serde(default)]
    pub cadence: String,
    /// 1–28, or `last`.
    #[serde(default)]
    pub due_day: String,
    #[serde(default)]
    pub remind_days: String,
    /// dd/mm/yyyy.
    #[serde(default)]
    pub valid_from: String,
}

/// A schedule to record, parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewSchedule {
    pub entry: Entry,
}

impl ScheduleForm {
    /// The form for `current` (the rule in force), from `today`.
    pub fn for_current(current: Option<&Entry>, today: Date) -> ScheduleForm {
        let (cadence, due_day) = match current.map(|e| e.rule) {
            Some(Rule::Regular(c, due)) => (
                match c {
                    Cadence::Monthly => "monthly",
                    Cadence::Quarterly => "quarterly",
                },
                match due {
                    DueDay::Day(n) => n.to_string(),
                    DueDay::LastDay => "last".to_owned(),
                },
            ),
            Some(Rule::AdHoc) => ("ad_hoc", String::new()),
            None => ("monthly", String::new()),
        };
        ScheduleForm {
            cadence: cadence.to_owned(),
            due_day,
            remind_days: current
                .map_or(DEFAULT_REMIND_DAYS, |e| e.remind_days)
                .to_string(),
            valid_from: clock::format_date(today),
        }
    }

    /// A schedule from today (or a later day within a year) on: the days already past
    /// keep the schedule they had.
    pub fn parse(&self, today: Date) -> Result<NewSchedule> {
        let mut errors = FieldErrors::new();
        let due = match self.due_day.trim() {
            "last" => Ok(DueDay::LastDay),
            text => text
                .parse::<u8>()
                .ok()
                .filter(|d| (1..=MAX_DUE_DAY).contains(d))
                .map(DueDay::Day)
                .ok_or("Chọn ngày hạn nộp: từ 1 đến 28, hoặc ngày cuối tháng."),
        };
        let rule = match self.cadence.trim() {
            "monthly" => errors
                .check("due_day", due)
                .map(|d| Rule::Regular(Cadence::Monthly, d)),
            "quarterly" => errors
                .check("due_day", due)
                .map(|d| Rule::Regular(Cadence::Quarterly, d)),
            "ad_hoc" => Some(Rule::AdHoc),
            _ => {
                errors.add(
                    "cadence",
                    "Chọn cách báo cáo: hằng tháng, hằng quý hoặc đột xuất.",
                );
                None
            }
        };
        let remind_days = errors.check(
            "remind_days",
            match self.remind_days.trim() {
                "" => Ok(DEFAULT_REMIND_DAYS),
                text => text
                    .parse::<u8>()
                    .ok()
                    .filter(|d| *d <= MAX_REMIND_DAYS)
                    .ok_or("Số ngày nhắc trước là một số từ 0 (không nhắc) đến 20."),
            },
        );
        let valid_from = errors.check(
            "valid_from",
            match self.valid_from.trim() {
                "" => Ok(today),
                text => match clock::parse_user_date(text) {
                    None => Err("Ngày không hợp lệ (dd/mm/yyyy)."),
                    Some(d) if d < today => {
                        Err("Lịch mới áp dụng từ hôm nay trở đi; những ngày đã qua giữ lịch đã có.")
                    }
                    Some(d) if d > today + Duration::days(MAX_DAYS_AHEAD) => {
                        Err("Chỉ đặt lịch áp dụng trong vòng một năm tới.")
                    }
                    Some(d) => Ok(d),
                },
            },
        );
        match (rule, remind_days, valid_from) {
            (Some(rule), Some(remind_days), Some(valid_from)) if errors.is_empty() => {
                Ok(NewSchedule {
                    entry: Entry {
                        valid_from,
                        rule,
                        remind_days,
                    },
                })
            }
            _ => Err(Error::Invalid(errors)),
        }
    }
}

/// Records `new` as `user_id`'s schedule from its date on, and audits it. Only a
/// collaborator has one; a schedule starts no earlier than the latest one recorded,
/// so that the history reads in order (the same day: the new one replaces it).
pub fn set(conn: &mut dyn Conn, who: &Who, user_id: i64, new: &NewSchedule) -> Result<i64> {
    let person = people::get(conn, user_id)?;
    if person.role != Role::Collaborator {
        return Err(Error::Refused(
            "Chỉ cộng tác viên dư luận xã hội mới có lịch báo cáo.",
        ));
    }
    let entry = new.entry;
    if let Some(latest) = history(conn, user_id)?.last()
        && entry.valid_from < latest.entry.valid_from
    {
        return Err(Error::field(
            "valid_from",
            "Đã có lịch áp dụng từ một ngày sau ngày này; lịch mới phải áp dụng từ ngày đó trở đi.",
        ));
    }
    let (cadence, due_day): (&str, Option<i64>) = match entry.rule {
        Rule::Regular(cadence, due) => (
            match cadence {
                Cadence::Monthly => "monthly",
                Cadence::Quarterly => "quarterly",
            },
            Some(match due {
                DueDay::Day(n) => i64::from(n),
                DueDay::LastDay => 0,
            }),
        ),
        Rule::AdHoc => ("ad_hoc", None),
    };
    let id: i64 = conn.scalar(
        "INSERT INTO report_schedules (user_id, cadence, due_day, remind_days, valid_from,
                                       created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        params![
            user_id,
            cadence,
            due_day,
            i64::from(entry.remind_days),
            clock::iso_date(entry.valid_from),
            who.user_id,
            clock::now_ms()
        ],
    )?;
    let reminder = match entry.remind_days {
        0 => "không nhắc".to_owned(),
        n => format!("nhắc trước {n} ngày"),
    };
    audit::record(
        conn,
        who,
        audit::action::REPORT_SCHEDULE_SET,
        ("user", &person.username),
        &format!(
            "{}; {reminder}; từ {}",
            describe(entry.rule, Lang::Vi),
            clock::format_date(entry.valid_from)
        ),
    )?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn form(cadence: &str, due_day: &str, remind: &str, from: &str) -> ScheduleForm {
        ScheduleForm {
            cadence: cadence.into(),
            due_day: due_day.into(),
            remind_days: remind.into(),
            valid_from: from.into(),
        }
    }

    const TODAY: Date = date!(2026 - 07 - 10);

    #[test]
    fn a_form_reads_into_a_rule_from_a_date() {
        let parsed = form("quarterly", "last", "5", "01/10/2026").parse(TODAY);
        assert_eq!(
            parsed.ok().map(|n| n.entry),
            Some(Entry {
                valid_from: date!(2026 - 10 - 01),
                rule: Rule::Regular(Cadence::Quarterly, DueDay::LastDay),
                remind_days: 5,
            })
        );
        let ad_hoc = form("ad_hoc", "", "", "").parse(TODAY);
        assert_eq!(
            ad_hoc.ok().map(|n| n.entry),
            Some(Entry {
                valid_from: TODAY,
                rule: Rule::AdHoc,
                remind_days: DEFAULT_REMIND_DAYS,
            })
        );
    }

    #[test]
    fn bad_values_get_a_message_each() {
        let Err(Error::Invalid(errors)) = form("monthly", "29", "21", "09/07/2026").parse(TODAY)
        else {
            panic!("refused");
        };
        assert!(errors.get("due_day").is_some());
        assert!(errors.get("remind_days").is_some());
        assert!(
            errors
                .get("valid_from")
                .is_some_and(|m| m.contains("hôm nay"))
        );
        let Err(Error::Invalid(errors)) = form("weekly", "5", "3", "31/02/2026").parse(TODAY)
        else {
            panic!("refused");
        };
        assert!(errors.get("cadence").is_some());
        assert!(
            errors
                .get("valid_from")
                .is_some_and(|m| m.contains("dd/mm"))
        );
        let far = form("monthly", "5", "3", "12/07/2027").parse(TODAY);
        assert!(matches!(far, Err(Error::Invalid(e)) if e.get("valid_from").is_some()));
    }

    #[test]
    fn the_form_for_the_rule_in_force_reads_back_into_it() {
        let entry = Entry {
            valid_from: date!(2026 - 01 - 01),
            rule: Rule::Regular(Cadence::Monthly, DueDay::Day(20)),
            remind_days: 4,
        };
        let again = ScheduleForm::for_current(Some(&entry), TODAY).parse(TODAY);
        assert_eq!(
            again.ok().map(|n| n.entry),
            Some(Entry {
                valid_from: TODAY,
                ..entry
            })
        );
    }
}
