//! Reporting periods (kỳ báo cáo) and their dates, as pure functions: the period a
//! date belongs to, the date a period's report is due, the reminder before it, and the
//! reports a schedule's history expects between two dates. They are what the schedule
//! job will call each day (issue 11): [`expected_between`] over today and the days
//! ahead gives the expected reports to open, each with the due date of its clock and
//! the date of its reminder; nothing here reads the database or the clock.
//!
//! A period is a calendar month or quarter. Its report is due on the schedule's due day
//! of the **month after the period ends**: July's report by day N of August, the third
//! quarter's by day N of October. A report speaks for a whole period, so it can be
//! written only once the period is over, and the lead body compiles its own summary of
//! the period from the reports that came in early in the next month: a due day of 5 or
//! 10 is the usual setting, a later day (up to the month's last) gives more time. A day
//! of 1–28 exists in every month; "the last day" is clamped to the month's length
//! (28 or 29 February). A due date on a day off (a weekend, Tết, a holiday, an extra day
//! off the administrator entered) moves to the next working day of `crate::calendar`.

use time::{Date, Duration, Month};

use crate::calendar::WorkingDayCalendar;
use crate::i18n::Lang;

/// How often a collaborator reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Cadence {
    /// Hằng tháng.
    Monthly,
    /// Hằng quý.
    Quarterly,
}

impl Cadence {
    fn months(self) -> u8 {
        match self {
            Cadence::Monthly => 1,
            Cadence::Quarterly => 3,
        }
    }
}

/// The day of the month after the period by which its report is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DueDay {
    /// Day 1–28 (larger days are clamped to the month's length).
    Day(u8),
    /// The month's last day.
    LastDay,
}

/// The largest due day that exists in every month.
pub const MAX_DUE_DAY: u8 = 28;

impl DueDay {
    /// The day in `year`/`month`, clamped to the month's length.
    fn in_month(self, year: i32, month: Month) -> u8 {
        let length = month.length(year);
        match self {
            DueDay::Day(day) => day.clamp(1, length),
            DueDay::LastDay => length,
        }
    }
}

/// What a schedule says: report every month or every quarter by a due day, or only when
/// there is something to report (ad hoc: no report is expected).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    Regular(Cadence, DueDay),
    AdHoc,
}

/// A calendar month (`number` 1–12) or quarter (1–4) of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub cadence: Cadence,
    pub year: i32,
    pub number: u8,
}

const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];

impl Period {
    /// The period of `cadence` that `date` belongs to.
    pub fn containing(cadence: Cadence, date: Date) -> Period {
        let month = u8::from(date.month());
        Period {
            cadence,
            year: date.year(),
            number: (month - 1) / cadence.months() + 1,
        }
    }

    fn first_month(self) -> Month {
        month((self.number - 1) * self.cadence.months() + 1)
    }

    fn last_month(self) -> Month {
        month(self.number * self.cadence.months())
    }

    pub fn first_day(self) -> Date {
        date(self.year, self.first_month(), 1)
    }

    pub fn last_day(self) -> Date {
        let last = self.last_month();
        date(self.year, last, last.length(self.year))
    }

    /// The period right after this one.
    pub fn next(self) -> Period {
        let count = 12 / self.cadence.months();
        if self.number == count {
            Period {
                year: self.year + 1,
                number: 1,
                ..self
            }
        } else {
            Period {
                number: self.number + 1,
                ..self
            }
        }
    }

    /// The due date before days off are counted: `due` of the month after the period,
    /// clamped to that month's length.
    pub fn nominal_due(self, due: DueDay) -> Date {
        let (year, month) = match self.last_month() {
            Month::December => (self.year + 1, Month::January),
            m => (self.year, m.next()),
        };
        date(year, month, due.in_month(year, month))
    }

    /// The date the report of this period is due: the nominal due date, or the next
    /// working day when that is a day off. `None` beyond the years the calendar covers.
    pub fn due_date(self, due: DueDay, calendar: &WorkingDayCalendar) -> Option<Date> {
        calendar.add_working_days(self.nominal_due(due), 0)
    }

    /// Stable text for storage and links: `2026-07`, `2026-Q3`.
    pub fn code(self) -> String {
        match self.cadence {
            Cadence::Monthly => format!("{}-{:02}", self.year, self.number),
            Cadence::Quarterly => format!("{}-Q{}", self.year, self.number),
        }
    }

    /// The period a [`code`](Period::code) names.
    pub fn parse(code: &str) -> Option<Period> {
        let (year, rest) = code.split_once('-')?;
        let year: i32 = year.parse().ok().filter(|y| (1900..=9999).contains(y))?;
        let (cadence, number) = match rest.strip_prefix('Q') {
            Some(q) => (Cadence::Quarterly, q),
            None if rest.len() == 2 => (Cadence::Monthly, rest),
            None => return None,
        };
        let number: u8 = number.parse().ok()?;
        (1..=12 / cadence.months())
            .contains(&number)
            .then_some(Period {
                cadence,
                year,
                number,
            })
    }

    /// As people read it: *Tháng 7/2026*, *Quý III/2026*.
    pub fn label(self, lang: Lang) -> String {
        let roman = ROMAN[usize::from(self.number - 1) % 4];
        match (self.cadence, lang) {
            (Cadence::Monthly, Lang::Vi) => format!("Tháng {}/{}", self.number, self.year),
            (Cadence::Monthly, Lang::En) => format!("Month {}/{}", self.number, self.year),
            (Cadence::Quarterly, Lang::Vi) => format!("Quý {roman}/{}", self.year),
            (Cadence::Quarterly, Lang::En) => format!("Quarter {roman}/{}", self.year),
        }
    }
}

fn month(number: u8) -> Month {
    Month::try_from(number).unwrap_or(Month::January)
}

/// A date the arithmetic built from a valid month and a day within its length.
fn date(year: i32, month: Month, day: u8) -> Date {
    Date::from_calendar_date(year, month, day).unwrap_or(Date::MIN)
}

/// The day to remind the collaborator of a report due on `due`: `days_before` days
/// before it, or when that is a day off the working day before (so the reminder reaches
/// people on a day they work, and never later than asked: before Tết, it comes before
/// the holiday). `None` when `days_before` is 0 (no reminder) or beyond the calendar.
pub fn reminder_date(due: Date, days_before: u8, calendar: &WorkingDayCalendar) -> Option<Date> {
    if days_before == 0 {
        return None;
    }
    let mut day = due.checked_sub(Duration::days(i64::from(days_before)))?;
    // The longest run of days off is a few weeks even with the administrator's extra
    // days; a calendar that is all days off gets no reminder rather than a loop.
    for _ in 0..60 {
        if !WorkingDayCalendar::covers(day) {
            return None;
        }
        if calendar.is_working_day(day) {
            return Some(day);
        }
        day = day.previous_day()?;
    }
    None
}

/// One row of a schedule's history: `rule` in force from `valid_from`, with reminders
/// `remind_days` before each due date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub valid_from: Date,
    pub rule: Rule,
    pub remind_days: u8,
}

/// Where in `history` (ordered as stored: by `valid_from`, then as entered) the entry
/// in force on `date` is: the last one from on or before it.
pub fn in_force(history: &[Entry], date: Date) -> Option<usize> {
    history.iter().rposition(|e| e.valid_from <= date)
}

/// A report a schedule expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected {
    pub period: Period,
    /// The working day it is due.
    pub due_on: Date,
    /// The working day to remind its collaborator, if they are reminded.
    pub remind_on: Option<Date>,
}

/// The reports `history` expects whose due dates fall between `from` and `to`
/// (inclusive), in due order. A period is expected when the entry in force on its
/// last day is a regular rule of its cadence, which then gives its due day and
/// reminder: a change of schedule takes effect with the first period that ends after
/// it, and a report already under way keeps the rule it was expected under (September,
/// under a monthly rule, is still expected when a quarterly rule starts on 1 October;
/// the fourth quarter is then expected in January).
pub fn expected_between(
    history: &[Entry],
    from: Date,
    to: Date,
    calendar: &WorkingDayCalendar,
) -> Vec<Expected> {
    let mut out = Vec::new();
    for (i, entry) in history.iter().enumerate() {
        let Rule::Regular(cadence, due) = entry.rule else {
            continue;
        };
        let until = history.get(i + 1).map(|next| next.valid_from);
        let mut period = Period::containing(cadence, entry.valid_from);
        loop {
            let last = period.last_day();
            if until.is_some_and(|u| last >= u) {
                break;
            }
            let nominal = period.nominal_due(due);
            if nominal > to {
                break;
            }
            // Days off move a due date a few weeks at most: periods due long before
            // `from` are passed without asking the calendar.
            let near = nominal + Duration::days(60) >= from;
            if near
                && let Some(due_on) = period.due_date(due, calendar)
                && (from..=to).contains(&due_on)
            {
                out.push(Expected {
                    period,
                    due_on,
                    remind_on: reminder_date(due_on, entry.remind_days, calendar),
                });
            }
            period = period.next();
        }
    }
    out.sort_by_key(|e| (e.due_on, e.period.year, e.period.number));
    out
}

/// The first report `history` expects on or after `today`, looking a little over a
/// year ahead (a quarterly report is due within five months).
pub fn next_expected(
    history: &[Entry],
    today: Date,
    calendar: &WorkingDayCalendar,
) -> Option<Expected> {
    let horizon = today + Duration::days(400);
    expected_between(history, today, horizon, calendar)
        .into_iter()
        .next()
}

#[cfg(test)]
#[path = "period_tests.rs"]
mod tests;
