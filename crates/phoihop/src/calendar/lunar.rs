//! The Vietnamese lunar calendar (âm lịch), reckoned in Vietnam time (UTC+7).
//!
//! Computed astronomically with the method Hồ Ngọc Đức published ("Thuật toán tính âm
//! lịch"): a lunar month begins on the local day of a new moon; month 11 is the one
//! that holds the winter solstice; a lunar year with 13 months repeats, as its leap
//! month, the first month after month 11 during which the sun enters no new 30° sector
//! of longitude (no "major solar term"). New moons and the sun's longitude come from
//! the truncated series in Jean Meeus, *Astronomical Algorithms*, as in that method.
//! The series lose accuracy far from the present, so nothing is answered outside
//! [`YEARS`].
//! What lives here is only the conversion; holidays are in `calendar::holidays`.

use std::f64::consts::PI;
use std::ops::RangeInclusive;

use time::{Date, Month};

/// The years (solar, and lunar years starting in them) this module answers for.
pub const YEARS: RangeInclusive<i32> = 1900..=2199;

/// Vietnam's offset from UTC, in hours. The calendar has been reckoned in UTC+7 since
/// 1968 (UTC+8 before); earlier dates are converted in UTC+7 too, which the calendars
/// printed then did not always do. Deadlines are never that old.
const TIME_ZONE: f64 = 7.0;
/// Mean length of a lunation (synodic month), in days.
const SYNODIC_MONTH: f64 = 29.530_588_853;
/// Julian day of the new moon of 1 January 1900, the origin of lunation numbers `k`.
const NEW_MOON_EPOCH: f64 = 2_415_021.076_998_695;

/// A day of the lunar calendar. `leap` marks a day of the repeated (leap) month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LunarDate {
    pub day: u8,
    pub month: u8,
    pub year: i32,
    pub leap: bool,
}

impl LunarDate {
    /// A day of an ordinary (not leap) month.
    pub const fn new(day: u8, month: u8, year: i32) -> LunarDate {
        LunarDate {
            day,
            month,
            year,
            leap: false,
        }
    }
}

/// The lunar date of a solar (Gregorian) date; `None` outside [`YEARS`].
pub fn from_solar(date: Date) -> Option<LunarDate> {
    let year = date.year();
    if !YEARS.contains(&year) {
        return None;
    }
    let day_number = i64::from(date.to_julian_day());
    let k = ((day_number as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH).floor() as i64;
    let mut month_start = new_moon_day(k + 1);
    if month_start > day_number {
        month_start = new_moon_day(k);
    }
    // The lunar year runs between two months 11; find the pair around this day.
    let mut a11 = month_11_start(year)?;
    let mut b11 = a11;
    let mut lunar_year = year;
    if a11 >= month_start {
        a11 = month_11_start(year - 1)?;
    } else {
        lunar_year = year + 1;
        b11 = month_11_start(year + 1)?;
    }
    let diff = (month_start - a11) / 29;
    let mut month = diff + 11;
    let mut leap = false;
    if b11 - a11 > 365 {
        let leap_offset = leap_month_offset(a11);
        if diff >= leap_offset {
            month = diff + 10;
            leap = diff == leap_offset;
        }
    }
    if month > 12 {
        month -= 12;
    }
    if month >= 11 && diff < 4 {
        lunar_year -= 1;
    }
    Some(LunarDate {
        day: u8::try_from(day_number - month_start + 1).ok()?,
        month: u8::try_from(month).ok()?,
        year: lunar_year,
        leap,
    })
}

/// The solar date of a lunar date; `None` when there is no such day (day 30 of a
/// 29-day month, a leap month the year does not have) or outside [`YEARS`].
pub fn to_solar(lunar: LunarDate) -> Option<Date> {
    let (day, month) = (i64::from(lunar.day), i64::from(lunar.month));
    if !YEARS.contains(&lunar.year) || !(1..=12).contains(&month) || !(1..=30).contains(&day) {
        return None;
    }
    let (a11, b11) = if month < 11 {
        (month_11_start(lunar.year - 1)?, month_11_start(lunar.year)?)
    } else {
        (month_11_start(lunar.year)?, month_11_start(lunar.year + 1)?)
    };
    // Months counted from month 11 of the year before.
    let mut offset = (month - 11).rem_euclid(12);
    if b11 - a11 > 365 {
        let leap_offset = leap_month_offset(a11);
        // The leap month repeats the month just before it.
        let leap_month = (leap_offset + 9).rem_euclid(12) + 1;
        if lunar.leap && month != leap_month {
            return None;
        }
        if lunar.leap || offset >= leap_offset {
            offset += 1;
        }
    } else if lunar.leap {
        return None;
    }
    let k = (0.5 + (a11 as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH).floor() as i64;
    let start = new_moon_day(k + offset);
    if day > new_moon_day(k + offset + 1) - start {
        return None;
    }
    from_julian_day(start + day - 1)
}

fn from_julian_day(day: i64) -> Option<Date> {
    Date::from_julian_day(i32::try_from(day).ok()?).ok()
}

/// Julian day (with fraction, universal time) of new moon number `k` after the one
/// of 1 January 1900.
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let (t2, t3) = (t * t, t * t * t);
    let dr = PI / 180.0;
    let mut jd1 = 2_415_020.759_33 + 29.530_588_68 * k + 0.000_117_8 * t2 - 0.000_000_155 * t3;
    jd1 += 0.000_33 * ((166.56 + 132.87 * t - 0.009_173 * t2) * dr).sin();
    // The sun's and the moon's mean anomalies, the moon's argument of latitude.
    let m = 359.224_2 + 29.105_356_08 * k - 0.000_033_3 * t2 - 0.000_003_47 * t3;
    let mpr = 306.025_3 + 385.816_918_06 * k + 0.010_730_6 * t2 + 0.000_012_36 * t3;
    let f = 21.296_4 + 390.670_506_46 * k - 0.001_652_8 * t2 - 0.000_002_39 * t3;
    let sin = |x: f64| (x * dr).sin();
    let c1 = (0.173_4 - 0.000_393 * t) * sin(m) + 0.002_1 * sin(2.0 * m) - 0.406_8 * sin(mpr)
        + 0.016_1 * sin(2.0 * mpr)
        - 0.000_4 * sin(3.0 * mpr)
        + 0.010_4 * sin(2.0 * f)
        - 0.005_1 * sin(m + mpr)
        - 0.007_4 * sin(m - mpr)
        + 0.000_4 * sin(2.0 * f + m)
        - 0.000_4 * sin(2.0 * f - m)
        - 0.000_6 * sin(2.0 * f + mpr)
        + 0.001_0 * sin(2.0 * f - mpr)
        + 0.000_5 * sin(2.0 * mpr + m);
    // ΔT, the gap between terrestrial and universal time.
    let delta_t = if t < -11.0 {
        0.001 + 0.000_839 * t + 0.000_226_1 * t2 - 0.000_008_45 * t3 - 0.000_000_081 * t * t3
    } else {
        -0.000_278 + 0.000_265 * t + 0.000_262 * t2
    };
    jd1 + c1 - delta_t
}

/// The Julian day number of the local (UTC+7) day on which new moon `k` falls.
fn new_moon_day(k: i64) -> i64 {
    (new_moon(k) + 0.5 + TIME_ZONE / 24.0).floor() as i64
}

/// The sun's apparent longitude, in radians within [0, 2π), at Julian day `jd` (UT).
fn sun_longitude(jd: f64) -> f64 {
    let t = (jd - 2_451_545.0) / 36_525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.529_10 + 35_999.050_30 * t - 0.000_155_9 * t2 - 0.000_000_48 * t * t2;
    let l0 = 280.466_45 + 36_000.769_83 * t + 0.000_303_2 * t2;
    let dl = (1.914_600 - 0.004_817 * t - 0.000_014 * t2) * (dr * m).sin()
        + (0.019_993 - 0.000_101 * t) * (dr * 2.0 * m).sin()
        + 0.000_290 * (dr * 3.0 * m).sin();
    ((l0 + dl) * dr).rem_euclid(2.0 * PI)
}

/// Which of the twelve 30° sectors (0 = from the vernal equinox) the sun is in at the
/// start of local day `day` (a Julian day number).
fn sun_sector(day: i64) -> i64 {
    (sun_longitude(day as f64 - 0.5 - TIME_ZONE / 24.0) / PI * 6.0).floor() as i64
}

/// The Julian day number on which lunar month 11 begins in solar year `year`: the
/// last new moon before the winter solstice.
fn month_11_start(year: i32) -> Option<i64> {
    let dec31 = i64::from(
        Date::from_calendar_date(year, Month::December, 31)
            .ok()?
            .to_julian_day(),
    );
    let k = ((dec31 - 2_415_021) as f64 / SYNODIC_MONTH).floor() as i64;
    let start = new_moon_day(k);
    // Sector 9 starts at the winter solstice (270°): a month starting after it is 12.
    if sun_sector(start) >= 9 {
        Some(new_moon_day(k - 1))
    } else {
        Some(start)
    }
}

/// In a 13-month year whose month 11 starts on `a11`, how many months after month 11
/// the leap month comes: the first month in which the sun changes no sector.
fn leap_month_offset(a11: i64) -> i64 {
    let k = ((a11 as f64 - NEW_MOON_EPOCH) / SYNODIC_MONTH + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i));
        if arc == last || i >= 14 {
            return i - 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn tet_falls_on_the_known_days() {
        let tet = [
            date!(2020 - 01 - 25),
            date!(2021 - 02 - 12),
            date!(2022 - 02 - 01),
            date!(2023 - 01 - 22),
            date!(2024 - 02 - 10),
            date!(2025 - 01 - 29),
            date!(2026 - 02 - 17),
            date!(2027 - 02 - 06),
            date!(2028 - 01 - 26),
            date!(2029 - 02 - 13),
            // Not 03/02, China's date: the new moon is at 23:07 in Vietnam on 02/02
            // and 00:07 on 03/02 in China, so Vietnam's Tết comes a day earlier, as
            // in 2007 (17/02 against 18/02).
            date!(2030 - 02 - 02),
        ];
        for (year, day) in (2020..).zip(tet).chain([(2007, date!(2007 - 02 - 17))]) {
            assert_eq!(
                to_solar(LunarDate::new(1, 1, year)),
                Some(day),
                "Tết {year}"
            );
            assert_eq!(from_solar(day), Some(LunarDate::new(1, 1, year)), "{day}");
        }
    }

    #[test]
    fn hung_kings_day_falls_on_the_known_days() {
        for (year, day) in [
            (2024, date!(2024 - 04 - 18)),
            (2025, date!(2025 - 04 - 07)),
            (2026, date!(2026 - 04 - 26)),
        ] {
            assert_eq!(to_solar(LunarDate::new(10, 3, year)), Some(day));
            assert_eq!(from_solar(day), Some(LunarDate::new(10, 3, year)));
        }
    }

    #[test]
    fn leap_months_are_found_and_round_trip() {
        // 2023 repeats month 2 (leap month from 22/03/2023); 2025 repeats month 6
        // (from 25/07/2025).
        let leap_2 = LunarDate {
            leap: true,
            ..LunarDate::new(1, 2, 2023)
        };
        assert_eq!(to_solar(leap_2), Some(date!(2023 - 03 - 22)));
        assert_eq!(from_solar(date!(2023 - 03 - 22)), Some(leap_2));
        assert_eq!(
            to_solar(LunarDate::new(1, 2, 2023)),
            Some(date!(2023 - 02 - 20))
        );
        let leap_6 = LunarDate {
            leap: true,
            ..LunarDate::new(1, 6, 2025)
        };
        assert_eq!(to_solar(leap_6), Some(date!(2025 - 07 - 25)));
        assert_eq!(from_solar(date!(2025 - 07 - 25)), Some(leap_6));
        // No leap month 3 in 2025, and none at all in 2024.
        let wrong = LunarDate {
            leap: true,
            ..LunarDate::new(1, 3, 2025)
        };
        assert_eq!(to_solar(wrong), None);
        assert_eq!(
            to_solar(LunarDate {
                leap: true,
                ..LunarDate::new(1, 6, 2024)
            }),
            None
        );
    }

    #[test]
    fn every_day_of_a_decade_round_trips() {
        let mut day = date!(2020 - 01 - 01);
        while day < date!(2031 - 01 - 01) {
            let lunar = from_solar(day).expect("in range");
            assert_eq!(to_solar(lunar), Some(day), "{day} → {lunar:?}");
            day = day.next_day().expect("next day");
        }
    }

    #[test]
    fn impossible_days_and_far_years_get_no_answer() {
        // Month 12 of lunar 2025 has 29 days (Tết 2026 is 17/02, its last day 16/02).
        assert_eq!(
            to_solar(LunarDate::new(29, 12, 2025)),
            Some(date!(2026 - 02 - 16))
        );
        assert_eq!(to_solar(LunarDate::new(30, 12, 2025)), None);
        assert_eq!(to_solar(LunarDate::new(0, 1, 2025)), None);
        assert_eq!(to_solar(LunarDate::new(1, 13, 2025)), None);
        assert_eq!(from_solar(date!(1800 - 01 - 01)), None);
        assert_eq!(to_solar(LunarDate::new(1, 1, 2500)), None);
    }
}
