//! The working-day calendar (lịch ngày làm việc) that deadlines are counted on: Monday
//! to Friday, less the days off by law and the compensatory days they bring
//! (`holidays`, computed from the holiday rules an administrator keeps in
//! `holiday_rules`, see `rules`, on the lunar calendar of `lunar`), adjusted by the
//! extra days off and make-up working days an administrator enters (`entries`, stored
//! in `calendar_days`). Each node keeps it in memory (`cache`). Pages and the public
//! API are in `pages` and `api`. Deadline rules of particular kinds of work are not
//! here; they count on this.

pub mod api;
pub mod cache;
pub mod entries;
pub mod holidays;
pub mod lunar;
pub mod pages;
pub mod rule_form;
pub mod rules;

use std::collections::BTreeMap;
use std::sync::Arc;

use time::Date;

pub use cache::load;
pub use entries::{DayKind, Entry, EntryForm, add_entry, entries_in, withdraw_entry};
pub use holidays::{Holiday, HolidayRule, Law, RuleCalendar};

/// Ten years of working days: more than any deadline, small enough to answer quickly
/// (the most the calendar API counts ahead).
pub const MAX_DAYS: u32 = 3650;

/// Working days as the installation counts them (lịch làm việc). Cheap to clone: the
/// law (with its per-year cache) and the entries are shared.
///
/// The administrator's entries are the last word: a make-up working day is worked
/// even on a Saturday or a holiday, an extra day off is off whatever day it is. That
/// is how the government's yearly swaps (working a Saturday to join a holiday to a
/// weekend) are entered. Compensatory days are computed from the rules alone, before
/// the entries, so a swap that moves them is entered as a swap too.
#[derive(Debug, Clone, Default)]
pub struct WorkingDayCalendar {
    law: Arc<Law>,
    entries: Arc<BTreeMap<Date, DayKind>>,
}

impl WorkingDayCalendar {
    /// The rules' calendar plus these entries (the administrator's, not withdrawn).
    pub fn new(law: Arc<Law>, entries: impl IntoIterator<Item = (Date, DayKind)>) -> Self {
        WorkingDayCalendar {
            law,
            entries: Arc::new(entries.into_iter().collect()),
        }
    }

    /// The same law without the administrator's entries: what the rules alone say.
    pub fn statutory(&self) -> WorkingDayCalendar {
        WorkingDayCalendar {
            law: self.law.clone(),
            entries: Arc::default(),
        }
    }

    /// The holiday rules this calendar counts with, in id order.
    pub fn rules(&self) -> &[Arc<HolidayRule>] {
        self.law.rules()
    }

    /// The years the calendar can answer for: the lunar computation's.
    pub fn covers(date: Date) -> bool {
        lunar::YEARS.contains(&date.year())
    }

    pub fn is_working_day(&self, date: Date) -> bool {
        self.is_working(date, &mut self.year_cache())
    }

    /// The working day `n` working days after `from`, which is not counted: from a
    /// Friday, 1 gives the next working day after it. With `n` = 0 the answer is
    /// `from` itself when it is a working day, else the next working day: a deadline
    /// of "0 days" from a Sunday cannot fall on that Sunday. `None` when the answer
    /// would lie outside the years the calendar covers.
    pub fn add_working_days(&self, from: Date, n: u32) -> Option<Date> {
        if !Self::covers(from) {
            return None;
        }
        let mut cache = self.year_cache();
        let mut day = from;
        if n == 0 {
            while !self.is_working(day, &mut cache) {
                day = next_covered(day)?;
            }
            return Some(day);
        }
        let mut left = n;
        loop {
            day = next_covered(day)?;
            if self.is_working(day, &mut cache) {
                left -= 1;
                if left == 0 {
                    return Some(day);
                }
            }
        }
    }

    /// The last day of a limit of `n` calendar days from `from`, as the Civil Code 2015
    /// counts it (Bộ luật Dân sự, arts. 147–148): `from` itself is not counted, so the
    /// limit runs to `from` + `n` days; when that day is not a working day (a weekend,
    /// a holiday, an extra day off) the limit ends on the next working day. A make-up
    /// working day is a working day here too. `None` outside the years covered.
    ///
    /// This is how the laws on complaints and denunciations count most of their limits
    /// ("30 ngày"), where [`add_working_days`](Self::add_working_days) counts the ones
    /// they give in working days ("07 ngày làm việc").
    pub fn add_calendar_days(&self, from: Date, n: u32) -> Option<Date> {
        if !Self::covers(from) {
            return None;
        }
        let last = from.checked_add(time::Duration::days(i64::from(n)))?;
        if !Self::covers(last) {
            return None;
        }
        self.add_working_days(last, 0)
    }

    /// How many working days lie after `a` up to and including `b`, so that
    /// `add_working_days(a, n)` is `b` for a working day `b` after `a`; negative when
    /// `b` is before `a`. `None` outside the years covered.
    pub fn working_days_between(&self, a: Date, b: Date) -> Option<i64> {
        if !Self::covers(a) || !Self::covers(b) {
            return None;
        }
        let (from, to, sign) = if a <= b { (a, b, 1) } else { (b, a, -1) };
        let mut cache = self.year_cache();
        let mut count = 0;
        let mut day = from;
        while day < to {
            day = next_covered(day)?;
            if self.is_working(day, &mut cache) {
                count += 1;
            }
        }
        Some(sign * count)
    }

    /// The days off by law in `year` (holidays and compensatory days), in date order,
    /// before the administrator's entries; empty for a year not covered.
    pub fn holidays_in(&self, year: i32) -> Arc<[Holiday]> {
        self.law.of_year(year)
    }

    fn year_cache(&self) -> YearCache<'_> {
        YearCache(&self.law, None)
    }

    fn is_working(&self, date: Date, cache: &mut YearCache) -> bool {
        match self.entries.get(&date) {
            Some(DayKind::WorkingDay) => true,
            Some(DayKind::DayOff) => false,
            None => !holidays::is_weekend(date) && !cache.is_holiday(date),
        }
    }
}

fn next_covered(day: Date) -> Option<Date> {
    day.next_day().filter(|d| WorkingDayCalendar::covers(*d))
}

/// The holidays of the year last looked at, so that a count over many days takes the
/// shared cache's lock once a year rather than once a day.
struct YearCache<'a>(&'a Law, Option<(i32, Arc<[Holiday]>)>);

impl YearCache<'_> {
    fn is_holiday(&mut self, date: Date) -> bool {
        let year = date.year();
        if self.1.as_ref().is_none_or(|(y, _)| *y != year) {
            self.1 = Some((year, self.0.of_year(year)));
        }
        self.1
            .as_ref()
            .is_some_and(|(_, days)| days.binary_search_by_key(&date, |h| h.date).is_ok())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::sync::OnceLock;
    use time::macros::date;

    /// The calendar as a new installation has it: the rules the migrations ship, read
    /// from a real (temporary) SQLite database, without entries.
    pub(crate) fn seeded() -> WorkingDayCalendar {
        static SEEDED: OnceLock<(tempfile::TempDir, WorkingDayCalendar)> = OnceLock::new();
        SEEDED
            .get_or_init(|| {
                let dir = tempfile::tempdir().expect("a temporary folder");
                let location = crate::db::Location::SqliteFolder(dir.path().to_owned());
                let db = crate::db::Db::open(&location, &crate::db::Options::default())
                    .expect("a migrated database");
                let calendar = db.read_blocking(load).expect("the calendar");
                (dir, calendar)
            })
            .1
            .clone()
    }

    fn with_entries(entries: impl IntoIterator<Item = (Date, DayKind)>) -> WorkingDayCalendar {
        WorkingDayCalendar::new(seeded().law, entries)
    }

    #[test]
    fn one_working_day_after_the_friday_before_tet_2026_is_the_monday_after() {
        let calendar = seeded();
        assert_eq!(
            calendar.add_working_days(date!(2026 - 02 - 13), 1),
            Some(date!(2026 - 02 - 23))
        );
    }

    #[test]
    fn hung_kings_day_on_sunday_gives_monday_back() {
        let calendar = seeded();
        assert_eq!(
            calendar.add_working_days(date!(2026 - 04 - 24), 1),
            Some(date!(2026 - 04 - 28))
        );
        assert!(!calendar.is_working_day(date!(2026 - 04 - 27)));
        let names: Vec<_> = calendar
            .holidays_in(2026)
            .iter()
            .filter(|h| h.date.month() == time::Month::April)
            .map(|h| h.name_vi().to_owned())
            .collect();
        assert_eq!(names, ["Giỗ Tổ Hùng Vương", "Nghỉ bù", "Ngày Chiến thắng"]);
    }

    #[test]
    fn adding_days_counts_from_the_day_after() {
        let calendar = seeded();
        // Wednesday 2026-03-11 + 2 = Friday; + 3 = Monday.
        assert_eq!(
            calendar.add_working_days(date!(2026 - 03 - 11), 2),
            Some(date!(2026 - 03 - 13))
        );
        assert_eq!(
            calendar.add_working_days(date!(2026 - 03 - 11), 3),
            Some(date!(2026 - 03 - 16))
        );
        // Zero days: the day itself if worked, else the next working day.
        assert_eq!(
            calendar.add_working_days(date!(2026 - 03 - 11), 0),
            Some(date!(2026 - 03 - 11))
        );
        assert_eq!(
            calendar.add_working_days(date!(2026 - 03 - 14), 0),
            Some(date!(2026 - 03 - 16))
        );
    }

    #[test]
    fn a_make_up_saturday_is_worked() {
        let saturday = date!(2026 - 03 - 14);
        let calendar = with_entries([(saturday, DayKind::WorkingDay)]);
        assert!(calendar.is_working_day(saturday));
        assert_eq!(
            calendar.add_working_days(date!(2026 - 03 - 13), 1),
            Some(saturday)
        );
    }

    #[test]
    fn an_extra_day_off_is_skipped() {
        let monday = date!(2026 - 03 - 16);
        let calendar = with_entries([(monday, DayKind::DayOff)]);
        assert!(!calendar.is_working_day(monday));
        assert_eq!(
            calendar.add_working_days(date!(2026 - 03 - 13), 1),
            Some(date!(2026 - 03 - 17))
        );
    }

    #[test]
    fn national_day_is_the_second_and_by_default_the_first_of_september() {
        let calendar = seeded();
        // 2026: 1/9 Tuesday and 2/9 Wednesday are off.
        assert!(calendar.is_working_day(date!(2026 - 08 - 31)));
        assert!(!calendar.is_working_day(date!(2026 - 09 - 01)));
        assert!(!calendar.is_working_day(date!(2026 - 09 - 02)));
        assert!(calendar.is_working_day(date!(2026 - 09 - 03)));
        // The year the adjacent day is 3/9, the administrator swaps them.
        let swapped = with_entries([
            (date!(2026 - 09 - 01), DayKind::WorkingDay),
            (date!(2026 - 09 - 03), DayKind::DayOff),
        ]);
        assert!(swapped.is_working_day(date!(2026 - 09 - 01)));
        assert!(!swapped.is_working_day(date!(2026 - 09 - 03)));
    }

    #[test]
    fn working_days_between_undoes_adding_them() {
        let calendar = seeded();
        let from = date!(2026 - 02 - 13);
        for n in [1, 5, 20, 250] {
            let to = calendar.add_working_days(from, n).expect("covered");
            assert_eq!(calendar.working_days_between(from, to), Some(i64::from(n)));
            assert_eq!(calendar.working_days_between(to, from), Some(-i64::from(n)));
        }
        assert_eq!(calendar.working_days_between(from, from), Some(0));
    }

    #[test]
    fn a_calendar_day_limit_ending_on_a_saturday_ends_on_the_monday() {
        let calendar = seeded();
        // 01/10/2026 + 30 days = Saturday 31/10/2026.
        assert_eq!(
            calendar.add_calendar_days(date!(2026 - 10 - 01), 30),
            Some(date!(2026 - 11 - 02))
        );
        // One day less ends on the Friday itself: the start day is not counted.
        assert_eq!(
            calendar.add_calendar_days(date!(2026 - 10 - 01), 29),
            Some(date!(2026 - 10 - 30))
        );
    }

    #[test]
    fn a_calendar_day_limit_ending_on_a_holiday_moves_past_the_holidays() {
        let calendar = seeded();
        // 03/08/2026 + 30 days = 02/09/2026, National Day; 01/09 is off too, 03/09 is
        // the next working day.
        assert_eq!(
            calendar.add_calendar_days(date!(2026 - 08 - 03), 30),
            Some(date!(2026 - 09 - 03))
        );
        // 25/10/2026 + 30 days = Tuesday 24/11/2026, Ngày Văn hóa Việt Nam from 2026.
        assert_eq!(
            calendar.add_calendar_days(date!(2026 - 10 - 25), 30),
            Some(date!(2026 - 11 - 25))
        );
        // The same dates in 2025, before 24/11 was a day off: it is a working Monday.
        assert_eq!(
            calendar.add_calendar_days(date!(2025 - 10 - 25), 30),
            Some(date!(2025 - 11 - 24))
        );
    }

    #[test]
    fn a_calendar_day_limit_follows_the_administrators_entries() {
        // A make-up Saturday is worked, so a limit ending on it ends there.
        let saturday = date!(2026 - 10 - 31);
        let calendar = with_entries([(saturday, DayKind::WorkingDay)]);
        assert_eq!(
            calendar.add_calendar_days(date!(2026 - 10 - 01), 30),
            Some(saturday)
        );
        // An extra day off on the Monday pushes it to the Tuesday.
        let calendar = with_entries([(date!(2026 - 11 - 02), DayKind::DayOff)]);
        assert_eq!(
            calendar.add_calendar_days(date!(2026 - 10 - 01), 30),
            Some(date!(2026 - 11 - 03))
        );
    }

    #[test]
    fn dates_beyond_the_lunar_tables_get_no_answer() {
        assert_eq!(seeded().add_calendar_days(date!(2199 - 12 - 01), 45), None);
        let calendar = seeded();
        assert_eq!(calendar.add_working_days(date!(2199 - 12 - 30), 5), None);
        assert_eq!(calendar.add_working_days(date!(1899 - 12 - 30), 1), None);
        assert_eq!(
            calendar.working_days_between(date!(2026 - 01 - 01), date!(2300 - 01 - 01)),
            None
        );
    }
}
