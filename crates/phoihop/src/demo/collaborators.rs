//! The demo's public-opinion collaborators: two of the lead body's propaganda office
//! and two of the health department, each covering a few communes or wards (by code,
//! from `data/localities-demo.csv`) and fields, on monthly schedules that started two
//! years before the demo's day, as long as the demo's history of work.

use time::Date;

use crate::audit::Who;
use crate::case::kinds::opinion_report::period::{Cadence, DueDay, Entry, Rule};
use crate::case::kinds::opinion_report::schedule::{self, NewSchedule};
use crate::db::Conn;
use crate::error::{Error, Result};
use crate::org::people::{self, PersonForm};
use crate::refdata;

/// (username, locality codes, field codes (none: every field), due day of the month)
const COLLABORATORS: &[(&str, &[&str], &[&str], u8)] = &[
    ("congtacvien", &["NS-X01", "NS-X03"], &[], 5),
    (
        "congtacvien2",
        &["NS-P03", "NS-P01"],
        &["van-hoa", "giao-duc"],
        5,
    ),
    ("congtacvien.syt", &["NS-X02", "NS-X05"], &["y-te"], 10),
    (
        "congtacvien2.syt",
        &["NS-P02"],
        &["y-te", "y-hoc-co-truyen"],
        10,
    ),
];

/// `form` with the localities and fields its collaborator covers (by id), when it is
/// one of the demo's collaborators; unchanged otherwise.
pub fn with_coverage(c: &mut dyn Conn, mut form: PersonForm) -> Result<PersonForm> {
    let Some((_, localities, fields, _)) = COLLABORATORS
        .iter()
        .find(|(username, ..)| *username == form.username)
    else {
        return Ok(form);
    };
    let all_localities = refdata::localities(c, false)?;
    let all_fields = refdata::fields(c, false)?;
    form.localities = ids(localities, |code| {
        all_localities.iter().find(|l| l.code == code).map(|l| l.id)
    })?;
    form.fields = ids(fields, |code| {
        all_fields.iter().find(|f| f.code == code).map(|f| f.id)
    })?;
    Ok(form)
}

/// The ids (as a form sends them) of the rows with these codes.
fn ids(codes: &[&str], id_of: impl Fn(&str) -> Option<i64>) -> Result<Vec<String>> {
    codes
        .iter()
        .map(|code| {
            id_of(code)
                .map(|id| id.to_string())
                .ok_or(Error::Refused("a demo locality or field is missing"))
        })
        .collect()
}

/// The first day of the month two years before `today`.
fn two_years_before(today: Date) -> Date {
    Date::from_calendar_date(today.year() - 2, today.month(), 1).unwrap_or(today)
}

/// Each demo collaborator reports monthly, by their due day of the next month.
pub fn schedule(c: &mut dyn Conn, who: &Who, today: Date) -> Result<()> {
    for (username, _, _, due_day) in COLLABORATORS {
        let person = people::get_by_username(c, username)?.ok_or(Error::NotFound)?;
        let new = NewSchedule {
            entry: Entry {
                valid_from: two_years_before(today),
                rule: Rule::Regular(Cadence::Monthly, DueDay::Day(*due_day)),
                remind_days: schedule::DEFAULT_REMIND_DAYS,
            },
        };
        schedule::set(c, who, person.id, &new)?;
    }
    Ok(())
}
