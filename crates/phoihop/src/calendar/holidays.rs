//! The days off by law (ngày nghỉ lễ, tết) and the compensatory days (nghỉ bù) they
//! bring, computed per solar year from the holiday rules (`holiday_rules`, see
//! `rules`): the rules are data an administrator keeps, this is only the arithmetic.
//! A [`Law`] is one set of rules with the years computed from it so far, so the lunar
//! computation behind Tết and Hùng Kings' day is done once per year, not once per day
//! looked at. The administrator's one-off entries are not here (see `entries`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use time::{Date, Month, Weekday};

use super::lunar::{self, LunarDate};
use crate::i18n::Msg;

/// Which calendar a rule's date is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleCalendar {
    Solar,
    Lunar,
}

impl RuleCalendar {
    pub const ALL: [RuleCalendar; 2] = [RuleCalendar::Solar, RuleCalendar::Lunar];

    /// As stored in `holiday_rules.calendar`.
    pub fn code(self) -> &'static str {
        match self {
            RuleCalendar::Solar => "solar",
            RuleCalendar::Lunar => "lunar",
        }
    }

    pub fn parse(code: &str) -> Option<RuleCalendar> {
        RuleCalendar::ALL
            .into_iter()
            .find(|c| c.code() == code.trim())
    }

    pub fn label_vi(self) -> Msg {
        match self {
            RuleCalendar::Solar => "Dương lịch",
            RuleCalendar::Lunar => "Âm lịch",
        }
    }
}

/// One row of `holiday_rules`: `days` consecutive days off each year it applies,
/// starting `days_before` days before its date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayRule {
    pub id: i64,
    pub name: String,
    pub name_en: String,
    pub calendar: RuleCalendar,
    pub month: u8,
    pub day: u8,
    pub days_before: u8,
    pub days: u8,
    /// Years of the rule's own calendar (a lunar rule's are lunar years).
    pub from_year: i32,
    pub to_year: Option<i32>,
    /// A day on Saturday or Sunday is given back on the next working day.
    pub compensatory: bool,
}

impl HolidayRule {
    pub fn applies_in(&self, year: i32) -> bool {
        year >= self.from_year && self.to_year.is_none_or(|last| year <= last)
    }

    /// The rule's date in `year` of its calendar; `None` when that year has no such day
    /// or the calendar does not cover it.
    pub fn date_in(&self, year: i32) -> Option<Date> {
        match self.calendar {
            RuleCalendar::Solar => {
                let month = Month::try_from(self.month).ok()?;
                Date::from_calendar_date(year, month, self.day).ok()
            }
            RuleCalendar::Lunar => lunar::to_solar(LunarDate::new(self.day, self.month, year)),
        }
    }

    /// The days off this rule gives for `year` of its calendar, in order; none in a
    /// year it does not apply to.
    pub fn days_of(&self, year: i32) -> Vec<Date> {
        if !self.applies_in(year) {
            return Vec::new();
        }
        let mut day = self.date_in(year);
        for _ in 0..self.days_before {
            day = day.and_then(Date::previous_day);
        }
        let mut out = Vec::with_capacity(usize::from(self.days));
        for _ in 0..self.days {
            let Some(d) = day else { break };
            out.push(d);
            day = d.next_day();
        }
        out
    }

    /// The rule's date as "dd/mm" (its calendar is shown beside it).
    pub fn date_shown(&self) -> String {
        format!("{:02}/{:02}", self.day, self.month)
    }
}

/// One day off by law.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    pub date: Date,
    /// The rule that made it (for a compensatory day, the rule whose day it gives back).
    pub rule: Arc<HolidayRule>,
    pub compensatory: bool,
}

impl Holiday {
    /// The name the page shows: the rule's, or *Nghỉ bù* for a day given back.
    pub fn name_vi(&self) -> &str {
        if self.compensatory {
            "Nghỉ bù"
        } else {
            &self.rule.name
        }
    }
}

pub fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// One set of rules and the years computed from it so far. Shared by every copy of
/// the calendar loaded at one `calendar_version`, so a year is computed once per node
/// until the rules change.
#[derive(Debug, Default)]
pub struct Law {
    rules: Vec<Arc<HolidayRule>>,
    years: Mutex<HashMap<i32, Arc<[Holiday]>>>,
}

impl Law {
    /// `rules` in id order: when two fall on one day, the first names it.
    pub fn new(rules: Vec<HolidayRule>) -> Law {
        Law {
            rules: rules.into_iter().map(Arc::new).collect(),
            years: Mutex::default(),
        }
    }

    pub fn rules(&self) -> &[Arc<HolidayRule>] {
        &self.rules
    }

    /// The holidays and compensatory days of solar `year`, in date order; empty outside
    /// [`lunar::YEARS`].
    pub fn of_year(&self, year: i32) -> Arc<[Holiday]> {
        // The map only ever receives whole values; a panic elsewhere leaves it sound.
        let lock = || self.years.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(hit) = lock().get(&year) {
            return hit.clone();
        }
        // Computed outside the lock: two threads may both compute a year, never wait.
        let days: Arc<[Holiday]> = compute(&self.rules, year).into();
        lock().entry(year).or_insert(days).clone()
    }
}

/// The days the rules give that fall in solar `year`, by date, one per date. A lunar
/// rule's days may fall in the next solar year, and a block may start in the year
/// before, so the neighbouring rule years are looked at too.
fn base_days(rules: &[Arc<HolidayRule>], year: i32) -> Vec<Holiday> {
    let mut days = Vec::new();
    for rule in rules {
        for rule_year in year - 1..=year + 1 {
            if !lunar::YEARS.contains(&rule_year) {
                continue;
            }
            for date in rule.days_of(rule_year) {
                if date.year() == year {
                    days.push(Holiday {
                        date,
                        rule: rule.clone(),
                        compensatory: false,
                    });
                }
            }
        }
    }
    // Stable: on a shared date the earlier rule stays.
    days.sort_by_key(|h| h.date);
    days.dedup_by_key(|h| h.date);
    days
}

fn compute(rules: &[Arc<HolidayRule>], year: i32) -> Vec<Holiday> {
    if !lunar::YEARS.contains(&year) {
        return Vec::new();
    }
    // A holiday late in the year before may be given back in this one.
    let mut days = base_days(rules, year - 1);
    days.extend(base_days(rules, year));
    let mut all = with_compensatory_days(days);
    all.retain(|h| h.date.year() == year);
    all
}

/// Labour Code 2019, art. 111(3): a weekly rest day that falls on a holiday is given on
/// the next working day. Walking the holidays in order gives a block of several (Tết)
/// as many days back as it lost, one after another after the block.
fn with_compensatory_days(holidays: Vec<Holiday>) -> Vec<Holiday> {
    let mut all = holidays.clone();
    for holiday in holidays
        .iter()
        .filter(|h| h.rule.compensatory && is_weekend(h.date))
    {
        let mut day = holiday.date.next_day();
        while let Some(d) = day {
            if !is_weekend(d) && !all.iter().any(|h| h.date == d) {
                break;
            }
            day = d.next_day();
        }
        if let Some(date) = day {
            all.push(Holiday {
                date,
                rule: holiday.rule.clone(),
                compensatory: true,
            });
        }
    }
    all.sort_by_key(|h| h.date);
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::tests::seeded;
    use time::macros::date;

    fn days_of(year: i32, name: &str) -> Vec<Date> {
        seeded()
            .holidays_in(year)
            .iter()
            .filter(|h| h.name_vi() == name)
            .map(|h| h.date)
            .collect()
    }

    #[test]
    fn tet_is_five_days_from_the_last_day_of_the_lunar_year() {
        assert_eq!(
            days_of(2026, "Tết Nguyên đán"),
            [
                date!(2026 - 02 - 16),
                date!(2026 - 02 - 17),
                date!(2026 - 02 - 18),
                date!(2026 - 02 - 19),
                date!(2026 - 02 - 20)
            ]
        );
    }

    #[test]
    fn a_holiday_on_the_weekend_is_given_back_on_the_next_working_day() {
        // Hùng Kings' day 2026 is Sunday 26/04.
        assert_eq!(days_of(2026, "Nghỉ bù"), [date!(2026 - 04 - 27)]);
        // 2027: 1/1 is a Friday, Tết (05/02–09/02) takes Saturday and Sunday, so two
        // days come back after it; 1/5 is a Saturday, given back on Monday 3/5.
        assert_eq!(
            days_of(2027, "Nghỉ bù"),
            [
                date!(2027 - 02 - 10),
                date!(2027 - 02 - 11),
                date!(2027 - 05 - 03)
            ]
        );
    }

    #[test]
    fn national_day_takes_the_first_of_september_with_it() {
        // 2029: 1/9 Saturday and 2/9 Sunday: both come back, Monday and Tuesday.
        assert_eq!(
            days_of(2029, "Quốc khánh"),
            [date!(2029 - 09 - 01), date!(2029 - 09 - 02)]
        );
        let back = days_of(2029, "Nghỉ bù");
        assert!(back.contains(&date!(2029 - 09 - 03)), "{back:?}");
        assert!(back.contains(&date!(2029 - 09 - 04)), "{back:?}");
    }

    #[test]
    fn eleven_days_off_by_law_until_2025_and_twelve_from_2026() {
        for year in 2020..=2035 {
            let statutory = seeded()
                .holidays_in(year)
                .iter()
                .filter(|h| !h.compensatory)
                .count();
            assert_eq!(statutory, if year < 2026 { 11 } else { 12 }, "{year}");
        }
        assert!(seeded().holidays_in(2300).is_empty());
    }

    #[test]
    fn culture_day_on_a_saturday_is_given_back_on_monday() {
        // 24/11/2029 is a Saturday.
        let days = seeded().holidays_in(2029);
        let back: Vec<_> = days
            .iter()
            .filter(|h| h.compensatory && h.rule.name == "Ngày Văn hóa Việt Nam")
            .map(|h| h.date)
            .collect();
        assert_eq!(back, [date!(2029 - 11 - 26)]);
    }

    fn rule(calendar: RuleCalendar, (day, month): (u8, u8), before: u8, days: u8) -> HolidayRule {
        HolidayRule {
            id: 1,
            name: "Thử".into(),
            name_en: String::new(),
            calendar,
            month,
            day,
            days_before: before,
            days,
            from_year: 2000,
            to_year: Some(2100),
            compensatory: true,
        }
    }

    #[test]
    fn a_block_across_new_year_counts_in_both_years_and_gives_back_in_january() {
        // Saturday 31/12/2033 and Sunday 1/1/2034: two days back, Monday 2 and Tuesday 3.
        let law = Law::new(vec![rule(RuleCalendar::Solar, (1, 1), 1, 2)]);
        let dates = |y| law.of_year(y).iter().map(|h| h.date).collect::<Vec<_>>();
        assert_eq!(dates(2033).last(), Some(&date!(2033 - 12 - 31)));
        assert_eq!(
            dates(2034)[..3],
            [
                date!(2034 - 01 - 01),
                date!(2034 - 01 - 02),
                date!(2034 - 01 - 03)
            ]
        );
    }

    #[test]
    fn a_rule_applies_only_in_its_years() {
        let mut r = rule(RuleCalendar::Lunar, (15, 8), 0, 1);
        r.from_year = 2030;
        r.to_year = Some(2030);
        assert!(r.days_of(2029).is_empty());
        assert_eq!(r.days_of(2030).len(), 1);
        assert!(r.days_of(2031).is_empty());
    }
}
