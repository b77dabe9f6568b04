//! Effects an action has beyond its own state change (sending to addressees,
//! acknowledging receipt, advancing linked cases), named in declarations and carried
//! out here in the same transaction.

use serde_json::Map;

use crate::clock;
use crate::db::Conn;
use crate::org;
use crate::params;

use super::CaseError;
use super::clocks::{announce, due_on};
use super::engine::{At, record_event};
use super::fields::id_list;
use super::model::{self, Case, CaseActor};
use super::workflow::{Days, Effect, Party, Workflow};
use crate::notify::Audience;

pub(super) fn run_effect(
    conn: &mut dyn Conn,
    actor: &CaseActor,
    workflow: &Workflow,
    case: &mut Case,
    effect: Effect,
    all: &[crate::org::Organisation],
    at: &At<'_>,
) -> Result<(), CaseError> {
    let now = at.now_ms;
    match effect {
        Effect::SendToRecipients => {
            let ids = id_list(case.data.get("recipients"));
            let receipt = workflow.clocks.iter().find(|c| c.party == Party::Recipient);
            for org_id in ids {
                conn.execute(
                    "INSERT INTO case_recipients (case_id, organisation_id, sent_at) VALUES ($1, $2, $3)
                     ON CONFLICT DO NOTHING",
                    params![case.id, org_id, now],
                )?;
                if let Some(spec) = receipt
                    && let Days::Working(days) = spec.days
                {
                    let due = due_on(at, at.today, days)?;
                    announce(conn, at, case, spec.label, Audience::AgencyOf(org_id), due)?;
                    conn.execute(
                        "INSERT INTO case_clocks (case_id, clock, org_id, started_at, due_on, state)
                         VALUES ($1, $2, $3, $4, $5, 'running')",
                        params![
                            case.id,
                            spec.code,
                            org_id,
                            now,
                            clock::iso_date(due)
                        ],
                    )?;
                }
            }
        }
        Effect::AcknowledgeReceipt { all_received } => {
            let mine: Vec<i64> = model::recipients(conn, case.id)?
                .iter()
                .map(|r| r.organisation_id)
                .filter(|r| org::is_ancestor(all, actor.org_id, *r))
                .collect();
            for org_id in &mine {
                conn.execute(
                    "UPDATE case_recipients SET acknowledged_at = $1, acknowledged_by = $2
                     WHERE case_id = $3 AND organisation_id = $4 AND acknowledged_at IS NULL",
                    params![now, actor.user_id, case.id, *org_id],
                )?;
                conn.execute(
                    "UPDATE case_clocks SET stopped_at = $1,
                            state = CASE WHEN due_on < $2 THEN 'breached' ELSE 'met' END
                     WHERE case_id = $3 AND org_id = $4 AND state = 'running'",
                    params![now, clock::iso_date(at.today), case.id, *org_id],
                )?;
            }
            let waiting: i64 = conn.scalar(
                "SELECT COUNT(*) FROM case_recipients WHERE case_id = $1 AND acknowledged_at IS NULL",
                params![case.id],
            )?;
            if waiting == 0 {
                system_move(conn, at, case, all_received, "all_received")?;
            }
        }
        Effect::AdvanceLinked {
            kind,
            from,
            action,
            to,
        } => {
            let linked = conn.query(
                "SELECT c.number FROM case_links l JOIN cases c ON c.id = l.to_case_id
                 WHERE l.from_case_id = $1 AND c.kind = $2",
                params![case.id, kind],
            )?;
            for row in linked {
                let number: String = row.get(0)?;
                if let Some(mut target) = model::by_number(conn, &number)?
                    && from.contains(&target.state.as_str())
                {
                    system_move(conn, at, &mut target, to, action)?;
                }
            }
        }
    }
    Ok(())
}

/// A state change made by the engine itself (not a person's action): same event trail.
fn system_move(
    conn: &mut dyn Conn,
    at: &At<'_>,
    case: &mut Case,
    to: &str,
    action: &str,
) -> Result<(), CaseError> {
    let now = at.now_ms;
    conn.execute(
        "UPDATE cases SET state = $1, version = version + 1, updated_at = $2 WHERE id = $3",
        params![to, now, case.id],
    )?;
    let system = CaseActor {
        user_id: 0,
        username: "(hệ thống)".into(),
        name: "(hệ thống)".into(),
        role: crate::access::Role::Specialist,
        org_id: 0,
    };
    record_event(
        conn,
        at,
        &system,
        case,
        action,
        Some(&case.state.clone()),
        Some(to),
        "",
        &Map::new(),
    )?;
    case.state = to.into();
    case.version += 1;
    Ok(())
}
