//! The kind's daily job (`Hooks::daily`): every report a collaborator's schedule
//! expects is opened once its period is over, in state `expected`, with its clock
//! running to the due day (late ones are then marked by the clock check, as every
//! deadline is); and each collaborator is reminded once, on the reminder day, of a
//! report still waiting.
//!
//! Opened through the engine's expecting transition in the collaborator's name (they
//! are its reporter), by the system. A period already reported, or already opened,
//! is left alone: `opinion_reports` holds one report per collaborator and period, so a
//! second node or a second run cannot open it twice.

use std::collections::{HashMap, HashSet};

use serde_json::json;
use time::{Date, Duration};

use super::period::{Entry, Expected, Period, expected_between};
use super::schedule;
use crate::access::Role;
use crate::case::CaseError;
use crate::case::engine::{self, At, NewCase};
use crate::case::model::CaseActor;
use crate::clock;
use crate::db::Conn;
use crate::i18n::{Lang, Msg};
use crate::notify::{self, Audience};
use crate::params;

/// How far back a missing report is still opened: a period due within these days.
/// Older ones (before the schedule, or before an installation) are not raised anew.
const LOOK_BACK_DAYS: i64 = 45;

/// The name the system acts under on the timeline.
pub const SYSTEM: Msg = "Hệ thống — lịch báo cáo";
pub(super) const REMINDER: Msg = "Nhắc gửi báo cáo dư luận";

/// A collaborator's schedule, as the job reads it for everyone at once.
struct Reporter {
    org_id: i64,
    history: Vec<Entry>,
}

pub(super) fn daily(conn: &mut dyn Conn, at: &At<'_>) -> Result<usize, CaseError> {
    Ok(open_expected(conn, at)? + remind(conn, at)?)
}

/// The reports due now or soon whose periods are over, for every active collaborator.
fn due_now(
    reporters: &HashMap<i64, Reporter>,
    today: Date,
    calendar: &crate::calendar::WorkingDayCalendar,
) -> Vec<(i64, Expected)> {
    let mut out = Vec::new();
    for (user, reporter) in reporters {
        let from = today - Duration::days(LOOK_BACK_DAYS);
        // A report is due in the month after its period (a quarter's too).
        let to = today + Duration::days(62);
        for e in expected_between(&reporter.history, from, to, calendar) {
            if e.period.last_day() < today {
                out.push((*user, e));
            }
        }
    }
    out.sort_by_key(|(user, e)| (e.due_on, *user));
    out
}

/// Opens the reports schedules expect that are not opened yet; returns how many.
pub fn open_expected(conn: &mut dyn Conn, at: &At<'_>) -> Result<usize, CaseError> {
    let mut reporters: HashMap<i64, Reporter> = HashMap::new();
    for (user, org_id, row) in schedule::all_active(conn)? {
        reporters
            .entry(user)
            .or_insert_with(|| Reporter {
                org_id,
                history: Vec::new(),
            })
            .history
            .push(row.entry);
    }
    if reporters.is_empty() {
        return Ok(0);
    }
    let calendar = crate::calendar::load(conn)?;
    let due = due_now(&reporters, at.today, &calendar);
    if due.is_empty() {
        return Ok(0);
    }
    let periods: HashSet<String> = due.iter().map(|(_, e)| e.period.code()).collect();
    let mut opened: HashSet<(i64, String)> = HashSet::new();
    for code in &periods {
        for row in conn.query(
            "SELECT reporter_id FROM opinion_reports WHERE period = $1",
            params![code.as_str()],
        )? {
            opened.insert((row.get(0)?, code.clone()));
        }
    }
    let mut made = 0;
    for (user, e) in due {
        let code = e.period.code();
        if opened.contains(&(user, code.clone())) {
            continue;
        }
        let Some(reporter) = reporters.get(&user) else {
            continue;
        };
        let actor = CaseActor {
            user_id: user,
            username: SYSTEM.into(),
            name: SYSTEM.into(),
            role: Role::Collaborator,
            org_id: reporter.org_id,
        };
        let fields = json!({
            "period": code,
            "due_on": clock::iso_date(e.due_on),
            "remind_on": e.remind_on.map(clock::iso_date),
        });
        let new = NewCase {
            title: title(e.period),
            fields: fields.as_object().cloned().unwrap_or_default(),
            ..NewCase::default()
        };
        engine::expect(conn, &actor, &super::WORKFLOW, &new, at)?;
        made += 1;
    }
    Ok(made)
}

/// The title of a period's report: *Báo cáo dư luận xã hội tháng 11/2026*.
pub fn title(period: Period) -> String {
    let label = period.label(Lang::Vi);
    let mut chars = label.chars();
    let lowered = match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect::<String>(),
        None => label,
    };
    format!("Báo cáo dư luận xã hội {lowered}")
}

/// Reminds each collaborator, once, of a report still waiting on its reminder day.
fn remind(conn: &mut dyn Conn, at: &At<'_>) -> Result<usize, CaseError> {
    let waiting = conn.query(
        "SELECT r.case_id, r.reporter_id, c.number, c.title, r.due_on
         FROM opinion_reports r JOIN cases c ON c.id = r.case_id
         WHERE r.reminded_at IS NULL AND r.remind_on <= $1 AND c.state = 'expected'",
        params![clock::iso_date(at.today)],
    )?;
    for row in &waiting {
        let (case_id, reporter): (i64, i64) = (row.get(0)?, row.get(1)?);
        let (number, title, due): (String, String, Option<String>) =
            (row.get(2)?, row.get(3)?, row.get(4)?);
        let message = format!(
            "{REMINDER}: {number} — {title}. Hạn {}.",
            due.as_deref().map(clock::show_iso_date).unwrap_or_default()
        );
        notify::send(
            conn,
            Audience::Person(reporter),
            Some(case_id),
            notify::kind::TODO,
            &message,
            &format!("/cases/{number}"),
            at.now_ms,
        )?;
        conn.execute(
            "UPDATE opinion_reports SET reminded_at = $1 WHERE case_id = $2",
            params![at.now_ms, case_id],
        )?;
    }
    Ok(waiting.len())
}
