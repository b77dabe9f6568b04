//! The facts of a letter that queries need as columns (`complaint_letters`): its type,
//! the level handling it and the organisation that does, the day it was received, and
//! the earlier letter it escalates past level once [`super::escalation::flag`] found
//! one. Nothing personal: who sent it is in [`super::complainant`].

use time::Date;

use super::{LetterType, Level};
use crate::clock;
use crate::db::{Conn, DbError, Row};
use crate::error::{Error, FieldErrors, Result};
use crate::i18n::Msg;
use crate::params;

/// A letter as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub letter_type: LetterType,
    pub level: Level,
    /// The organisation that handles it at that level.
    pub handling_org_id: i64,
    pub received_on: Date,
}

/// A letter as stored, with the earlier letter it escalates past level, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredLetter {
    pub case_id: i64,
    pub letter: Letter,
    pub escalated_from: Option<EarlierLetter>,
}

/// The letter a later one escalates past level: what a case page links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlierLetter {
    pub case_id: i64,
    pub number: String,
}

const FUTURE: Msg = "Ngày nhận đơn không được sau ngày hôm nay.";
const NO_ORGANISATION: Msg = "Chọn cơ quan, đơn vị giải quyết đang hoạt động.";
const RECORDED: Msg = "Đơn này đã được ghi nhận.";

/// Records the facts of the letter that case `case_id` is, in the transaction that
/// creates the case. `today` is the day the case is opened (Vietnam time).
pub fn record(conn: &mut dyn Conn, case_id: i64, letter: &Letter, today: Date) -> Result<()> {
    let mut errors = FieldErrors::new();
    if letter.received_on > today {
        errors.add("received_on", FUTURE);
    }
    let current: i64 = conn.scalar(
        "SELECT COUNT(*) FROM organisations WHERE id = $1 AND valid_to IS NULL",
        params![letter.handling_org_id],
    )?;
    if current == 0 {
        errors.add("handling_org_id", NO_ORGANISATION);
    }
    errors.into_result()?;
    let inserted = conn.execute(
        "INSERT INTO complaint_letters (case_id, letter_type, level, handling_org_id, received_on)
         VALUES ($1, $2, $3, $4, $5)",
        params![
            case_id,
            letter.letter_type.code(),
            letter.level.code(),
            letter.handling_org_id,
            clock::iso_date(letter.received_on)
        ],
    );
    match inserted {
        // The only unique key is the case: it was recorded already.
        Err(DbError::Unique { .. }) => Err(Error::Refused(RECORDED)),
        other => other.map(|_| ()).map_err(Error::from),
    }
}

/// The letter that case `case_id` is, if it is one.
pub fn get(conn: &mut dyn Conn, case_id: i64) -> Result<Option<StoredLetter>> {
    let row = conn.query_opt(
        "SELECT l.case_id, l.letter_type, l.level, l.handling_org_id, l.received_on,
                l.escalated_from, e.number
         FROM complaint_letters l LEFT JOIN cases e ON e.id = l.escalated_from
         WHERE l.case_id = $1",
        params![case_id],
    )?;
    Ok(row.as_ref().map(from_row).transpose()?)
}

fn from_row(r: &Row) -> Result<StoredLetter, DbError> {
    let (letter_type, level, received): (String, String, String) =
        (r.get(1)?, r.get(2)?, r.get(4)?);
    let bad =
        |what: &str, value: &str| DbError::Decode(format!("complaint letter {what} {value:?}"));
    let earlier: (Option<i64>, Option<String>) = (r.get(5)?, r.get(6)?);
    Ok(StoredLetter {
        case_id: r.get(0)?,
        letter: Letter {
            letter_type: LetterType::parse(&letter_type)
                .ok_or_else(|| bad("type", &letter_type))?,
            level: Level::parse(&level).ok_or_else(|| bad("level", &level))?,
            handling_org_id: r.get(3)?,
            received_on: clock::parse_iso_date(&received).ok_or_else(|| bad("day", &received))?,
        },
        escalated_from: match earlier {
            (Some(case_id), Some(number)) => Some(EarlierLetter { case_id, number }),
            _ => None,
        },
    })
}

#[cfg(test)]
pub(super) fn messages() -> Vec<Msg> {
    vec![FUTURE, NO_ORGANISATION, RECORDED]
}
