//! An installation's own legal time limits: the rows of `complaint_limits`, one per
//! limit changed from the law's default, which a system administrator edits while
//! the server runs (a setting, not a configuration file: a provincial office on a
//! closed network changes it from the browser, without a restart, and every change is
//! in the audit trail with the values before and after). Nothing is deleted: going
//! back to the law's value is one more change.
//!
//! A change applies to clocks started after it; a running clock keeps the due date it
//! was given. Limits are read where a clock starts, one small indexed read.

use super::limits::{self, Change, Counting, Limits};
use crate::access::Role;
use crate::access::policy::{self, Action, Scope};
use crate::audit::{self, Who};
use crate::clock;
use crate::db::{Conn, DbError};
use crate::error::{Error, FieldErrors, Result};
use crate::i18n::Msg;
use crate::params;

/// Longest reason an administrator may give for a change.
pub const MAX_BASIS: usize = 500;
/// The range of days a limit may be set to.
pub const DAYS: std::ops::RangeInclusive<u32> = 1..=365;

const BAD_DAYS: Msg = "Số ngày là một số nguyên từ 1 đến 365.";
const BAD_COUNTING: Msg = "Chọn cách tính: ngày hoặc ngày làm việc.";
const NO_BASIS: Msg = "Ghi căn cứ của thay đổi (số, ngày văn bản quy định).";
const LONG_BASIS: Msg = "Căn cứ quá dài (tối đa 500 ký tự).";

/// The limits in force in this installation.
pub fn load(conn: &mut dyn Conn) -> Result<Limits> {
    let rows = conn.query(
        "SELECT l.code, l.days, l.counting, l.basis, u.display_name, l.changed_at
         FROM complaint_limits l LEFT JOIN users u ON u.id = l.changed_by",
        &[],
    )?;
    let mut changes = Vec::with_capacity(rows.len());
    for r in &rows {
        let (code, days, counting): (String, i64, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let days = u32::try_from(days)
            .map_err(|_| DbError::Decode(format!("complaint limit {code}: {days} days")))?;
        let counting = Counting::parse(&counting)
            .ok_or_else(|| DbError::Decode(format!("complaint limit {code}: {counting:?}")))?;
        let change = Change {
            basis: r.get(3)?,
            by: r.get(4)?,
            at: r.get(5)?,
        };
        changes.push((code, days, counting, change));
    }
    Ok(Limits::new(changes))
}

/// What an administrator submits to change one limit, as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct LimitForm {
    pub days: String,
    pub counting: String,
    /// Why: the decision or regulation behind the change.
    pub basis: String,
}

/// Sets limit `code` to what `form` says, with an audit row naming the values before.
/// Only a system administrator may (reference data of the installation).
pub fn change(
    conn: &mut dyn Conn,
    who: &Who,
    role: Role,
    code: &str,
    form: &LimitForm,
) -> Result<()> {
    if !policy::allows(role, Action::ManageReferenceData, Scope::Installation) {
        return Err(Error::Forbidden);
    }
    let user_id = who.user_id.ok_or(Error::Forbidden)?;
    let spec = limits::spec(code).ok_or(Error::NotFound)?;
    let mut errors = FieldErrors::new();
    let days = errors.check(
        "days",
        form.days
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|d| DAYS.contains(d))
            .ok_or(BAD_DAYS),
    );
    let counting = errors.check(
        "counting",
        Counting::parse(form.counting.trim()).ok_or(BAD_COUNTING),
    );
    let basis = vntext::normalize(form.basis.trim());
    match basis.chars().count() {
        0 => errors.add("basis", NO_BASIS),
        n if n > MAX_BASIS => errors.add("basis", LONG_BASIS),
        _ if basis.contains('\0') => errors.add("basis", crate::error::NUL),
        _ => {}
    }
    let (Some(days), Some(counting)) = (days, counting) else {
        return Err(Error::Invalid(errors));
    };
    errors.into_result()?;
    let before = load(conn)?
        .get(code)
        .map(|l| (l.days, l.counting))
        .unwrap_or((spec.days, spec.counting));
    let now = clock::now_ms();
    conn.execute(
        "INSERT INTO complaint_limits (code, days, counting, basis, changed_by, changed_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (code) DO UPDATE SET days = $2, counting = $3, basis = $4,
                                          changed_by = $5, changed_at = $6",
        params![
            code,
            i64::from(days),
            counting.code(),
            basis.as_str(),
            user_id,
            now
        ],
    )?;
    audit::record(
        conn,
        who,
        audit::action::COMPLAINT_LIMIT_CHANGED,
        ("complaint_limit", code),
        &format!(
            "{}: {} {} → {} {} ({basis})",
            spec.label,
            before.0,
            before.1.label(),
            days,
            counting.label()
        ),
    )?;
    Ok(())
}

#[cfg(test)]
pub(super) fn messages() -> Vec<Msg> {
    vec![BAD_DAYS, BAD_COUNTING, NO_BASIS, LONG_BASIS]
}
