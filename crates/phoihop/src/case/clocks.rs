//! Deadline clocks: started and stopped by actions as their declarations say, counted
//! in working days on the calendar the caller gives (`At::due`).

use crate::clock;
use crate::db::Conn;
use crate::notify::{self, Audience};
use crate::params;

use super::CaseError;
use super::engine::At;
use super::model::Case;
use super::workflow::{ClockSpec, Days, Party, Transition, Workflow};

/// The organisation whose turn a clock marks.
fn clock_org(party: Party, case: &Case) -> Option<i64> {
    match party {
        Party::Owner | Party::Reporter => Some(case.owner_org_id),
        Party::Assignee | Party::LeadStaff | Party::LeadLeader => {
            case.assignee_org_id.or(Some(case.owner_org_id))
        }
        Party::Recipient => None,
    }
}

pub(super) fn start_clocks(
    conn: &mut dyn Conn,
    workflow: &Workflow,
    transition: &Transition,
    case: &Case,
    at: &At<'_>,
) -> Result<(), CaseError> {
    for code in transition.starts {
        let Some(spec) = workflow.clock(code) else {
            continue;
        };
        if spec.party == Party::Recipient {
            // Started per addressee when the case is sent.
            replace_running(conn, at, case.id, code)?;
            continue;
        }
        let Days::Working(days) = spec.days else {
            continue; // the kind's hooks start it (`Workflow::check` forbids naming it)
        };
        let due = due_on(at, at.today, days)?;
        start_on(conn, spec, case, at, due)?;
    }
    Ok(())
}

/// Starts clock `spec` on `case` with its last day `due`, replacing a running clock of
/// the same name, and tells whose turn it is. For clocks a kind dates itself
/// ([`Days::SetByKind`]), from its hooks.
pub(super) fn start_on(
    conn: &mut dyn Conn,
    spec: &ClockSpec,
    case: &Case,
    at: &At<'_>,
    due: time::Date,
) -> Result<(), CaseError> {
    replace_running(conn, at, case.id, spec.code)?;
    conn.execute(
        "INSERT INTO case_clocks (case_id, clock, org_id, started_at, due_on, state)
         VALUES ($1, $2, $3, $4, $5, 'running')",
        params![
            case.id,
            spec.code,
            clock_org(spec.party, case),
            at.now_ms,
            clock::iso_date(due)
        ],
    )?;
    announce(conn, at, case, spec.label, audience(spec.party, case), due)?;
    Ok(())
}

/// One running clock per name: restarting replaces the previous one.
fn replace_running(
    conn: &mut dyn Conn,
    at: &At<'_>,
    case_id: i64,
    code: &str,
) -> Result<(), CaseError> {
    conn.execute(
        "UPDATE case_clocks SET state = 'met', stopped_at = $1 WHERE case_id = $2 AND clock = $3 AND state = 'running'",
        params![at.now_ms, case_id, code],
    )?;
    Ok(())
}

pub(super) fn due_on(at: &At<'_>, from: time::Date, days: u32) -> Result<time::Date, CaseError> {
    (at.due)(from, days).ok_or(CaseError::Refused(
        "Không tính được hạn xử lý: ngày nằm ngoài các năm mà lịch làm việc hỗ trợ.",
    ))
}

/// Stops running clocks: met when on time, breached when late.
pub(super) fn stop_clocks(
    conn: &mut dyn Conn,
    at: &At<'_>,
    codes: &[&str],
    case_id: i64,
) -> Result<(), CaseError> {
    let today = clock::iso_date(at.today);
    for code in codes {
        conn.execute(
            "UPDATE case_clocks SET stopped_at = $1,
                    state = CASE WHEN due_on < $2 THEN 'breached' ELSE 'met' END,
                    breached_at = CASE WHEN due_on < $2 THEN COALESCE(breached_at, $1) ELSE breached_at END
             WHERE case_id = $3 AND clock = $4 AND state IN ('running', 'paused')",
            params![at.now_ms, today.as_str(), case_id, *code],
        )?;
    }
    Ok(())
}

/// Who is told that a clock started in `party`'s name.
pub(super) fn audience(party: Party, case: &Case) -> Audience {
    match party {
        Party::Owner => Audience::AgencyOf(case.owner_org_id),
        Party::Reporter => match case.created_by {
            Some(person) => Audience::Person(person),
            None => Audience::AgencyOf(case.owner_org_id),
        },
        Party::LeadLeader => Audience::Leaders,
        Party::Assignee | Party::LeadStaff | Party::Recipient => Audience::LeadStaff,
    }
}

/// Tells an audience that work now waits on them, with its deadline.
pub(super) fn announce(
    conn: &mut dyn Conn,
    at: &At<'_>,
    case: &Case,
    what: &str,
    audience: Audience,
    due: time::Date,
) -> Result<(), CaseError> {
    let message = format!(
        "{what}: {} — {}. Hạn {}.",
        case.number,
        case.title,
        clock::format_date(due)
    );
    let link = format!("/cases/{}", case.number);
    notify::send(
        conn,
        audience,
        Some(case.id),
        notify::kind::TODO,
        &message,
        &link,
        at.now_ms,
    )?;
    Ok(())
}
