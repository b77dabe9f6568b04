//! The period arithmetic on the calendar a new installation ships (the Labour Code's
//! holidays, Tết on the lunar calendar), with the weekdays of each date checked by
//! hand.

use time::Date;
use time::macros::date;

use super::*;
use crate::calendar::tests::seeded;

fn month(year: i32, number: u8) -> Period {
    Period {
        cadence: Cadence::Monthly,
        year,
        number,
    }
}

fn quarter(year: i32, number: u8) -> Period {
    Period {
        cadence: Cadence::Quarterly,
        year,
        number,
    }
}

fn monthly(day: u8, from: Date) -> Entry {
    Entry {
        valid_from: from,
        rule: Rule::Regular(Cadence::Monthly, DueDay::Day(day)),
        remind_days: 3,
    }
}

#[test]
fn a_date_belongs_to_its_calendar_month_and_quarter() {
    assert_eq!(
        Period::containing(Cadence::Monthly, date!(2026 - 12 - 31)),
        month(2026, 12)
    );
    assert_eq!(
        Period::containing(Cadence::Quarterly, date!(2026 - 12 - 31)),
        quarter(2026, 4)
    );
    assert_eq!(
        Period::containing(Cadence::Quarterly, date!(2027 - 01 - 01)),
        quarter(2027, 1)
    );
    assert_eq!(
        Period::containing(Cadence::Quarterly, date!(2026 - 07 - 01)),
        quarter(2026, 3)
    );
    assert_eq!(
        Period::containing(Cadence::Quarterly, date!(2026 - 06 - 30)),
        quarter(2026, 2)
    );
}

#[test]
fn periods_start_and_end_with_their_months_and_years_roll_over() {
    assert_eq!(month(2028, 2).last_day(), date!(2028 - 02 - 29));
    assert_eq!(month(2026, 2).last_day(), date!(2026 - 02 - 28));
    assert_eq!(quarter(2026, 3).first_day(), date!(2026 - 07 - 01));
    assert_eq!(quarter(2026, 3).last_day(), date!(2026 - 09 - 30));
    assert_eq!(quarter(2026, 4).last_day(), date!(2026 - 12 - 31));
    assert_eq!(month(2026, 12).next(), month(2027, 1));
    assert_eq!(quarter(2026, 4).next(), quarter(2027, 1));
    assert_eq!(quarter(2026, 1).next(), quarter(2026, 2));
}

#[test]
fn a_report_is_due_in_the_month_after_its_period() {
    assert_eq!(
        month(2026, 7).nominal_due(DueDay::Day(5)),
        date!(2026 - 08 - 05)
    );
    // A quarter's report: the month after the quarter.
    assert_eq!(
        quarter(2026, 3).nominal_due(DueDay::Day(10)),
        date!(2026 - 10 - 10)
    );
    // December's and the fourth quarter's: January of the next year.
    assert_eq!(
        month(2026, 12).nominal_due(DueDay::Day(5)),
        date!(2027 - 01 - 05)
    );
    assert_eq!(
        quarter(2026, 4).nominal_due(DueDay::LastDay),
        date!(2027 - 01 - 31)
    );
}

#[test]
fn the_last_day_is_clamped_to_the_months_length() {
    assert_eq!(
        month(2026, 1).nominal_due(DueDay::LastDay),
        date!(2026 - 02 - 28)
    );
    assert_eq!(
        month(2028, 1).nominal_due(DueDay::LastDay),
        date!(2028 - 02 - 29)
    );
    assert_eq!(
        month(2026, 3).nominal_due(DueDay::LastDay),
        date!(2026 - 04 - 30)
    );
    // A day past the month's end (never stored, but the arithmetic holds) is clamped.
    assert_eq!(
        month(2027, 1).nominal_due(DueDay::Day(31)),
        date!(2027 - 02 - 28)
    );
}

#[test]
fn a_due_date_on_a_day_off_moves_to_the_next_working_day() {
    let calendar = seeded();
    // Saturday 28/02/2026 → Monday 02/03.
    assert_eq!(
        month(2026, 1).due_date(DueDay::LastDay, &calendar),
        Some(date!(2026 - 03 - 02))
    );
    // Tuesday 29/02/2028 is worked.
    assert_eq!(
        month(2028, 1).due_date(DueDay::LastDay, &calendar),
        Some(date!(2028 - 02 - 29))
    );
    // Thursday 30/04/2026 and Friday 01/05 are holidays, then a weekend.
    assert_eq!(
        quarter(2026, 1).due_date(DueDay::LastDay, &calendar),
        Some(date!(2026 - 05 - 04))
    );
    // New Year's Day 2027 is a Friday: the year's first report waits for Monday.
    assert_eq!(
        month(2026, 12).due_date(DueDay::Day(1), &calendar),
        Some(date!(2027 - 01 - 04))
    );
    // Sunday 10/01/2027 → Monday 11/01.
    assert_eq!(
        quarter(2026, 4).due_date(DueDay::Day(10), &calendar),
        Some(date!(2027 - 01 - 11))
    );
    // A working day stays.
    assert_eq!(
        month(2026, 7).due_date(DueDay::Day(5), &calendar),
        Some(date!(2026 - 08 - 05))
    );
}

#[test]
fn a_due_day_on_tet_moves_past_the_whole_holiday() {
    let calendar = seeded();
    // Tết Bính Ngọ: Tuesday 17/02/2026, days off Monday 16 to Friday 20 February.
    assert_eq!(
        month(2026, 1).due_date(DueDay::Day(17), &calendar),
        Some(date!(2026 - 02 - 23))
    );
    assert_eq!(
        month(2026, 1).due_date(DueDay::Day(20), &calendar),
        Some(date!(2026 - 02 - 23))
    );
    assert_eq!(
        month(2026, 1).due_date(DueDay::Day(13), &calendar),
        Some(date!(2026 - 02 - 13))
    );
}

#[test]
fn the_reminder_comes_before_the_due_date_on_a_working_day() {
    let calendar = seeded();
    // Wednesday 05/08/2026 → Sunday 02/08 → Friday 31/07.
    assert_eq!(
        reminder_date(date!(2026 - 08 - 05), 3, &calendar),
        Some(date!(2026 - 07 - 31))
    );
    assert_eq!(
        reminder_date(date!(2026 - 08 - 07), 3, &calendar),
        Some(date!(2026 - 08 - 04))
    );
    // Due the Monday after Tết: three days before is inside the holiday, so the
    // reminder comes on the last working day before it.
    assert_eq!(
        reminder_date(date!(2026 - 02 - 23), 3, &calendar),
        Some(date!(2026 - 02 - 13))
    );
    assert_eq!(reminder_date(date!(2026 - 08 - 05), 0, &calendar), None);
}

#[test]
fn a_monthly_schedule_expects_a_report_for_every_month_it_covers() {
    let calendar = seeded();
    let history = [monthly(5, date!(2026 - 01 - 01))];
    let expected = expected_between(
        &history,
        date!(2026 - 01 - 01),
        date!(2026 - 12 - 31),
        &calendar,
    );
    let due: Vec<(String, Date)> = expected
        .iter()
        .map(|e| (e.period.code(), e.due_on))
        .collect();
    assert_eq!(
        due,
        [
            ("2026-01", date!(2026 - 02 - 05)),
            ("2026-02", date!(2026 - 03 - 05)),
            ("2026-03", date!(2026 - 04 - 06)),
            ("2026-04", date!(2026 - 05 - 05)),
            ("2026-05", date!(2026 - 06 - 05)),
            ("2026-06", date!(2026 - 07 - 06)),
            ("2026-07", date!(2026 - 08 - 05)),
            ("2026-08", date!(2026 - 09 - 07)),
            ("2026-09", date!(2026 - 10 - 05)),
            ("2026-10", date!(2026 - 11 - 05)),
            ("2026-11", date!(2026 - 12 - 07)),
        ]
        .map(|(c, d)| (c.to_owned(), d))
    );
    assert_eq!(expected[6].remind_on, Some(date!(2026 - 07 - 31)));
    // The range is inclusive at both ends, and nothing is expected before the schedule.
    let one = expected_between(
        &history,
        date!(2026 - 02 - 05),
        date!(2026 - 02 - 05),
        &calendar,
    );
    assert_eq!(one.len(), 1);
    assert!(
        expected_between(
            &history,
            date!(2025 - 01 - 01),
            date!(2026 - 02 - 04),
            &calendar
        )
        .is_empty()
    );
}

#[test]
fn a_schedule_registered_mid_month_expects_that_month() {
    let calendar = seeded();
    let history = [monthly(20, date!(2026 - 07 - 10))];
    let next = next_expected(&history, date!(2026 - 07 - 10), &calendar).expect("expected");
    assert_eq!(next.period, month(2026, 7));
    assert_eq!(next.due_on, date!(2026 - 08 - 20));
    assert_eq!(next.remind_on, Some(date!(2026 - 08 - 17)));
}

#[test]
fn a_change_of_schedule_takes_effect_with_the_first_period_ending_after_it() {
    let calendar = seeded();
    let history = [
        monthly(5, date!(2026 - 01 - 01)),
        Entry {
            valid_from: date!(2026 - 10 - 01),
            rule: Rule::Regular(Cadence::Quarterly, DueDay::Day(10)),
            remind_days: 5,
        },
        Entry {
            valid_from: date!(2027 - 02 - 15),
            rule: Rule::AdHoc,
            remind_days: 3,
        },
    ];
    let expected = expected_between(
        &history,
        date!(2026 - 09 - 01),
        date!(2027 - 12 - 31),
        &calendar,
    );
    let due: Vec<(String, Date)> = expected
        .iter()
        .map(|e| (e.period.code(), e.due_on))
        .collect();
    assert_eq!(
        due,
        [
            // Saturday 05/09 → Monday 07/09 (2/9 is National Day, a Wednesday).
            ("2026-08", date!(2026 - 09 - 07)),
            // September ended under the monthly rule.
            ("2026-09", date!(2026 - 10 - 05)),
            // Sunday 10/01/2027 → Monday 11/01; no quarter after the ad hoc rule.
            ("2026-Q4", date!(2027 - 01 - 11)),
        ]
        .map(|(c, d)| (c.to_owned(), d))
    );
    // The quarterly rule's reminder: five days before, Wednesday 06/01/2027.
    assert_eq!(expected[2].remind_on, Some(date!(2027 - 01 - 06)));
    assert_eq!(in_force(&history, date!(2026 - 12 - 31)), Some(1));
    assert_eq!(in_force(&history, date!(2027 - 02 - 15)), Some(2));
    assert_eq!(in_force(&history, date!(2025 - 12 - 31)), None);
}

#[test]
fn an_entry_of_the_same_date_entered_later_replaces_the_earlier() {
    let calendar = seeded();
    let history = [
        monthly(5, date!(2026 - 07 - 01)),
        monthly(15, date!(2026 - 07 - 01)),
    ];
    let expected = expected_between(
        &history,
        date!(2026 - 07 - 01),
        date!(2026 - 09 - 30),
        &calendar,
    );
    let due: Vec<Date> = expected.iter().map(|e| e.due_on).collect();
    assert_eq!(due, [date!(2026 - 08 - 17), date!(2026 - 09 - 15)]);
}

#[test]
fn an_ad_hoc_schedule_expects_nothing() {
    let calendar = seeded();
    let history = [Entry {
        valid_from: date!(2026 - 01 - 01),
        rule: Rule::AdHoc,
        remind_days: 3,
    }];
    assert_eq!(
        next_expected(&history, date!(2026 - 03 - 01), &calendar),
        None
    );
    assert_eq!(next_expected(&[], date!(2026 - 03 - 01), &calendar), None);
}

#[test]
fn period_codes_read_back_and_nothing_else_reads() {
    for p in [
        month(2026, 7),
        month(2027, 12),
        quarter(2026, 3),
        quarter(2030, 1),
    ] {
        assert_eq!(Period::parse(&p.code()), Some(p));
    }
    assert_eq!(month(2026, 7).code(), "2026-07");
    assert_eq!(quarter(2026, 3).code(), "2026-Q3");
    for bad in [
        "2026-13", "2026-00", "2026-Q5", "2026-Q0", "2026-7", "2026", "x-07", "",
    ] {
        assert_eq!(Period::parse(bad), None, "{bad}");
    }
}

#[test]
fn periods_read_as_people_write_them() {
    assert_eq!(month(2026, 7).label(Lang::Vi), "Tháng 7/2026");
    assert_eq!(quarter(2026, 3).label(Lang::Vi), "Quý III/2026");
    assert_eq!(quarter(2026, 4).label(Lang::En), "Quarter IV/2026");
}
