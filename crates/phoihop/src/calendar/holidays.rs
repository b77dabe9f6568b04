//! The public holidays (ngày nghỉ lễ, tết) of the Labour Code 2019, art. 112, and the
//! compensatory days off (nghỉ bù) they bring, computed per solar year and kept for the
//! life of the process: the law does not change between two deadlines, and the lunar
//! computation behind Tết and Hùng Kings' day is worth doing once per year, not once
//! per day looked at. The administrator's own entries are not here (see `entries`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use time::{Date, Month, Weekday};

use super::lunar::{self, LunarDate};
use crate::i18n::Msg;

/// Why a day is off by law.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidayKind {
    /// 1/1.
    NewYear,
    /// The last day of the lunar year and lunar 1/1 to 4/1: five days.
    LunarNewYear,
    /// Lunar 10/3.
    HungKings,
    /// 30/4.
    Victory,
    /// 1/5.
    Labour,
    /// 2/9 and one adjacent day.
    NationalDay,
    /// A working day given back for a holiday that fell on Saturday or Sunday.
    Compensatory,
}

impl HolidayKind {
    pub fn name_vi(self) -> Msg {
        match self {
            HolidayKind::NewYear => "Tết Dương lịch",
            HolidayKind::LunarNewYear => "Tết Nguyên đán",
            HolidayKind::HungKings => "Giỗ Tổ Hùng Vương",
            HolidayKind::Victory => "Ngày Chiến thắng",
            HolidayKind::Labour => "Ngày Quốc tế Lao động",
            HolidayKind::NationalDay => "Quốc khánh",
            HolidayKind::Compensatory => "Nghỉ bù",
        }
    }
}

/// One day off by law.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holiday {
    pub date: Date,
    pub kind: HolidayKind,
}

impl Holiday {
    pub fn name_vi(&self) -> Msg {
        self.kind.name_vi()
    }
}

/// The day art. 112 adds next to 2/9. The law leaves the choice (the day before or
/// after) to the Prime Minister each year; 1/9 is what has been chosen most years.
/// When another day is chosen, the administrator enters a make-up working day on 1/9
/// and an extra day off on the day chosen.
pub const NATIONAL_DAY_ADJACENT: (Month, u8) = (Month::September, 1);

pub fn is_weekend(date: Date) -> bool {
    matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// The holidays and compensatory days of solar `year`, in date order; empty outside
/// [`lunar::YEARS`].
pub fn of_year(year: i32) -> Arc<[Holiday]> {
    static CACHE: OnceLock<Mutex<HashMap<i32, Arc<[Holiday]>>>> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Mutex::default)
        .lock()
        // The map is only ever inserted into whole values; a panic elsewhere leaves it sound.
        .unwrap_or_else(PoisonError::into_inner);
    cache
        .entry(year)
        .or_insert_with(|| compute(year).into())
        .clone()
}

fn compute(year: i32) -> Vec<Holiday> {
    if !lunar::YEARS.contains(&year) {
        return Vec::new();
    }
    let mut days: Vec<Holiday> = Vec::new();
    let mut add = |date: Option<Date>, kind: HolidayKind| {
        if let Some(date) = date {
            days.push(Holiday { date, kind });
        }
    };
    let solar = |month: Month, day: u8| Date::from_calendar_date(year, month, day).ok();
    add(solar(Month::January, 1), HolidayKind::NewYear);
    // Tết of lunar year `year` always falls between 21/01 and 20/02 of solar `year`.
    let tet = lunar::to_solar(LunarDate::new(1, 1, year));
    add(tet.and_then(Date::previous_day), HolidayKind::LunarNewYear);
    let mut day = tet;
    for _ in 0..4 {
        add(day, HolidayKind::LunarNewYear);
        day = day.and_then(Date::next_day);
    }
    add(
        lunar::to_solar(LunarDate::new(10, 3, year)),
        HolidayKind::HungKings,
    );
    add(solar(Month::April, 30), HolidayKind::Victory);
    add(solar(Month::May, 1), HolidayKind::Labour);
    let (month, day) = NATIONAL_DAY_ADJACENT;
    add(solar(month, day), HolidayKind::NationalDay);
    add(solar(Month::September, 2), HolidayKind::NationalDay);
    days.sort_by_key(|h| h.date);
    days.dedup_by_key(|h| h.date);
    with_compensatory_days(days)
}

/// Art. 112(3): a holiday that falls on the weekly rest day is given back on the next
/// working day. Walking the holidays in order gives a block of several (Tết) as many
/// days back as it lost, one after another after the block.
fn with_compensatory_days(holidays: Vec<Holiday>) -> Vec<Holiday> {
    let mut all = holidays.clone();
    for holiday in holidays.iter().filter(|h| is_weekend(h.date)) {
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
                kind: HolidayKind::Compensatory,
            });
        }
    }
    all.sort_by_key(|h| h.date);
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn days_of(year: i32, kind: HolidayKind) -> Vec<Date> {
        of_year(year)
            .iter()
            .filter(|h| h.kind == kind)
            .map(|h| h.date)
            .collect()
    }

    #[test]
    fn tet_is_five_days_from_the_last_day_of_the_lunar_year() {
        assert_eq!(
            days_of(2026, HolidayKind::LunarNewYear),
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
        assert_eq!(
            days_of(2026, HolidayKind::Compensatory),
            [date!(2026 - 04 - 27)]
        );
        // 2027: 1/1 is a Friday, Tết (05/02–09/02) takes Saturday and Sunday, so two
        // days come back after it; 1/5 is a Saturday, given back on Monday 3/5.
        assert_eq!(
            days_of(2027, HolidayKind::Compensatory),
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
            days_of(2029, HolidayKind::NationalDay),
            [date!(2029 - 09 - 01), date!(2029 - 09 - 02)]
        );
        let back = days_of(2029, HolidayKind::Compensatory);
        assert!(back.contains(&date!(2029 - 09 - 03)), "{back:?}");
        assert!(back.contains(&date!(2029 - 09 - 04)), "{back:?}");
    }

    #[test]
    fn every_year_has_eleven_days_off_by_law() {
        for year in 2020..=2035 {
            let statutory = of_year(year)
                .iter()
                .filter(|h| h.kind != HolidayKind::Compensatory)
                .count();
            assert_eq!(statutory, 11, "{year}");
        }
        assert!(of_year(2300).is_empty());
    }
}
