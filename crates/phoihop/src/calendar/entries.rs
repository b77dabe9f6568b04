//! The administrator's entries in the working-day calendar (table `calendar_days`):
//! extra days off and make-up working days the government or the lead body decides
//! each year. Nothing is deleted: an entry that no longer holds is withdrawn
//! (`withdrawn_at`), and both adding and withdrawing leave an audit row.

use time::Date;

use super::WorkingDayCalendar;
use crate::audit::{self, Who};
use crate::clock;
use crate::db::{Conn, DbError, Row};
use crate::error::{Error, FieldErrors, Result};
use crate::i18n::Msg;
use crate::params;

/// What an entry makes of its day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// An extra day off (ngày nghỉ thêm), any day of the week.
    DayOff,
    /// A make-up working day (ngày làm việc bù), typically a Saturday.
    WorkingDay,
}

impl DayKind {
    pub const ALL: [DayKind; 2] = [DayKind::DayOff, DayKind::WorkingDay];

    /// As stored in `calendar_days.kind`.
    pub fn code(self) -> &'static str {
        match self {
            DayKind::DayOff => "day_off",
            DayKind::WorkingDay => "working_day",
        }
    }

    pub fn parse(code: &str) -> Option<DayKind> {
        DayKind::ALL.into_iter().find(|k| k.code() == code.trim())
    }

    pub fn label_vi(self) -> Msg {
        match self {
            DayKind::DayOff => "Ngày nghỉ thêm",
            DayKind::WorkingDay => "Ngày làm việc bù",
        }
    }
}

/// One entry in force, as the calendar page shows it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: i64,
    pub day: Date,
    pub kind: DayKind,
    pub note: String,
    pub created_by: String,
    pub created_at: i64,
}

impl Entry {
    /// "dd/mm/yyyy".
    pub fn day_shown(&self) -> String {
        clock::format_date(self.day)
    }
}

/// The add form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub note: String,
}

/// Longest note accepted: a line citing the decision (số văn bản) and its reason.
const MAX_NOTE: usize = 300;

fn parse_note(text: &str) -> Result<String, Msg> {
    let note = vntext::normalize(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    match note.chars().count() {
        0 => Err("Xin ghi lý do hoặc văn bản quyết định."),
        n if n > MAX_NOTE => Err("Quá dài (tối đa 300 ký tự)."),
        _ if note.chars().any(char::is_control) => Err("Có ký tự không hợp lệ."),
        _ => Ok(note),
    }
}

fn parse_day(text: &str) -> Result<Date, Msg> {
    let day = clock::parse_user_date(text).ok_or("Ngày không hợp lệ (dd/mm/yyyy).")?;
    if WorkingDayCalendar::covers(day) {
        Ok(day)
    } else {
        Err("Lịch chỉ tính được cho các năm 1900–2199.")
    }
}

fn decode_day(text: &str) -> Result<Date, DbError> {
    clock::parse_iso_date(text).ok_or_else(|| DbError::Decode(format!("calendar day {text:?}")))
}

fn decode_kind(code: &str) -> Result<DayKind, DbError> {
    DayKind::parse(code).ok_or_else(|| DbError::Decode(format!("calendar day kind {code:?}")))
}

/// The entries in force for days of solar `year`, in date order.
pub fn entries_in(conn: &mut dyn Conn, year: i32) -> Result<Vec<Entry>> {
    // ISO dates sort as text, so a year is a range of strings.
    let (first, last) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
    conn.query(
        "SELECT c.id, c.day, c.kind, c.note, u.display_name, c.created_at
         FROM calendar_days c JOIN users u ON u.id = c.created_by
         WHERE c.withdrawn_at IS NULL AND c.day >= $1 AND c.day <= $2
         ORDER BY c.day",
        params![first, last],
    )?
    .iter()
    .map(|r| Ok(entry_from_row(r)?))
    .collect()
}

fn entry_from_row(r: &Row) -> Result<Entry, DbError> {
    let (day, kind): (String, String) = (r.get(1)?, r.get(2)?);
    Ok(Entry {
        id: r.get(0)?,
        day: decode_day(&day)?,
        kind: decode_kind(&kind)?,
        note: r.get(3)?,
        created_by: r.get(4)?,
        created_at: r.get(5)?,
    })
}

const DUPLICATE: Msg =
    "Ngày này đã có một mục đang hiệu lực; xin rút mục đó trước khi thêm mục mới.";

/// Adds an entry from the form, after checking it: a date the calendar covers, a kind,
/// a note, no other entry in force for that day, and a change to what the holiday rules
/// say (a make-up working day on a day already worked would mean nothing).
pub fn add_entry(conn: &mut dyn Conn, who: &Who, form: &EntryForm) -> Result<i64> {
    let user_id = who.user_id.ok_or(Error::Forbidden)?;
    let mut errors = FieldErrors::new();
    let day = errors.check("day", parse_day(&form.day));
    let kind = errors.check("kind", DayKind::parse(&form.kind).ok_or("Chọn loại ngày."));
    let note = errors.check("note", parse_note(&form.note));
    if let (Some(day), Some(kind)) = (day, kind) {
        let taken: i64 = conn.scalar(
            "SELECT COUNT(*) FROM calendar_days WHERE day = $1 AND withdrawn_at IS NULL",
            params![clock::iso_date(day)],
        )?;
        if taken > 0 {
            errors.add("day", DUPLICATE);
        } else if super::load(conn)?.statutory().is_working_day(day)
            == (kind == DayKind::WorkingDay)
        {
            errors.add(
                "kind",
                match kind {
                    DayKind::WorkingDay => "Theo luật, ngày này vốn đã là ngày làm việc.",
                    DayKind::DayOff => "Theo luật, ngày này vốn đã là ngày nghỉ.",
                },
            );
        }
    }
    let (Some(day), Some(kind), Some(note), true) = (day, kind, note, errors.is_empty()) else {
        return Err(Error::Invalid(errors));
    };
    let iso = clock::iso_date(day);
    let id = conn
        .scalar(
            "INSERT INTO calendar_days (day, kind, note, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
            params![
                iso.as_str(),
                kind.code(),
                note.as_str(),
                user_id,
                clock::now_ms()
            ],
        )
        // Two administrators adding the same day at once: the index decides.
        .map_err(|e| {
            if e.is_unique_on("calendar_days") {
                Error::field("day", DUPLICATE)
            } else {
                e.into()
            }
        })?;
    audit::record(
        conn,
        who,
        audit::action::CALENDAR_DAY_ADDED,
        ("calendar_day", &iso),
        &format!("{}: {note}", kind.label_vi()),
    )?;
    Ok(id)
}

/// Withdraws entry `id`, so that its day is again what the law makes it.
pub fn withdraw_entry(conn: &mut dyn Conn, who: &Who, id: i64) -> Result<()> {
    let row = conn
        .query_opt(
            "SELECT day, kind, note, withdrawn_at FROM calendar_days WHERE id = $1",
            params![id],
        )?
        .ok_or(Error::NotFound)?;
    let (day, kind, note): (String, String, String) = (row.get(0)?, row.get(1)?, row.get(2)?);
    let withdrawn_at: Option<i64> = row.get(3)?;
    if withdrawn_at.is_some() {
        return Err(Error::Refused("Mục này đã được rút trước đó."));
    }
    let changed = conn.execute(
        "UPDATE calendar_days SET withdrawn_at = $1, withdrawn_by = $2
         WHERE id = $3 AND withdrawn_at IS NULL",
        params![clock::now_ms(), who.user_id, id],
    )?;
    if changed == 0 {
        return Err(Error::Refused("Mục này đã được rút trước đó."));
    }
    audit::record(
        conn,
        who,
        audit::action::CALENDAR_DAY_WITHDRAWN,
        ("calendar_day", &day),
        &format!("{}: {note}", decode_kind(&kind)?.label_vi()),
    )?;
    Ok(())
}
