//! The engine: creating a case and performing an action, each in one transaction:
//! permission, validation, version check, event, new state, clocks, effects. It knows
//! no kind by name; everything it does comes from the kind's declaration.

use serde_json::{Map, Value as Json};

use crate::access::Role;
use crate::clock;
use crate::db::Conn;
use crate::error::{Error, FieldErrors, NUL};
use crate::org;
use crate::params;

use super::CaseError;
use super::clocks::{start_clocks, stop_clocks};
use super::effects::run_effect;
use super::fields::read_fields;
use super::hooks::{Acted, Opened};
use super::kinds;
use super::model::{self, Case, CaseActor};
use super::workflow::{Effect, Party, Transition, Workflow};

/// Working-day arithmetic the engine needs for deadlines: from a date, so many working
/// days later. Given by the caller (the calendar), so the engine stays testable.
pub type DueDate<'a> = &'a dyn Fn(time::Date, u32) -> Option<time::Date>;

/// When an action happens and how deadlines count from it. Requests use [`At::now`];
/// the demo replays two years of work at their own dates.
#[derive(Clone, Copy)]
pub struct At<'a> {
    pub now_ms: i64,
    pub today: time::Date,
    pub due: DueDate<'a>,
}

impl<'a> At<'a> {
    pub fn now(due: DueDate<'a>) -> At<'a> {
        At {
            now_ms: clock::now_ms(),
            today: clock::today(),
            due,
        }
    }
}

/// Longest title and body accepted.
pub const MAX_TITLE: usize = 500;
pub const MAX_TEXT: usize = 100_000;
/// Longest one-line field of an action.
pub const MAX_LINE: usize = 500;

/// What someone sends to perform an action: the version they saw, and the fields.
#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    pub version: i64,
    pub fields: Map<String, Json>,
}

/// What someone sends to open a case.
#[derive(Debug, Clone, Default)]
pub struct NewCase {
    pub title: String,
    pub body: String,
    pub program_id: Option<i64>,
    pub field_id: Option<i64>,
    pub locality_id: Option<i64>,
    pub commitment_id: Option<i64>,
    /// The organisation the case belongs to; agency people may leave it empty (theirs).
    pub owner_org_id: Option<i64>,
    pub fields: Map<String, Json>,
}

/// Opens a case of `workflow`'s kind by its creating transition.
pub fn create(
    conn: &mut dyn Conn,
    actor: &CaseActor,
    workflow: &Workflow,
    new: &NewCase,
    at: &At<'_>,
) -> Result<Case, CaseError> {
    open(conn, actor, workflow, &workflow.create, new, at)
}

/// Opens a case the kind's own job expects someone to take up (`Workflow::expect`: a
/// period's report, waiting for its collaborator), in `actor`'s name.
pub fn expect(
    conn: &mut dyn Conn,
    actor: &CaseActor,
    workflow: &Workflow,
    new: &NewCase,
    at: &At<'_>,
) -> Result<Case, CaseError> {
    let opening = workflow.expect.as_ref().ok_or(CaseError::UnknownAction)?;
    open(conn, actor, workflow, opening, new, at)
}

/// Opens a case by `opening`, one of the kind's ways to open one.
fn open(
    conn: &mut dyn Conn,
    actor: &CaseActor,
    workflow: &Workflow,
    opening: &Transition,
    new: &NewCase,
    at: &At<'_>,
) -> Result<Case, CaseError> {
    let all = org::tree::current(conn)?;
    let mut errors = FieldErrors::new();
    let title = vntext::normalize(new.title.trim());
    match title.chars().count() {
        0 => errors.add("title", "Không được để trống."),
        n if n > MAX_TITLE => errors.add("title", "Tiêu đề quá dài (tối đa 500 ký tự)."),
        _ if title.contains('\0') => errors.add("title", NUL),
        _ => {}
    }
    let body = vntext::normalize(new.body.trim());
    if body.chars().count() > MAX_TEXT {
        errors.add("body", "Nội dung quá dài (tối đa 100.000 ký tự).");
    } else if body.contains('\0') {
        errors.add("body", NUL);
    }
    let program_id = match new.program_id {
        Some(id) => Some(id),
        None => conn
            .query_opt(
                "SELECT id FROM programs ORDER BY term_to DESC, id DESC LIMIT 1",
                &[],
            )?
            .map(|r| r.get(0))
            .transpose()?,
    };
    let program = match program_id {
        Some(id) => conn.query_opt(
            "SELECT id, lead_org_id FROM programs WHERE id = $1",
            params![id],
        )?,
        None => None,
    };
    let Some(program) = program else {
        errors.add("program_id", "Chọn chương trình phối hợp.");
        return Err(CaseError::Invalid(errors));
    };
    let (program_id, lead_org): (i64, i64) = (program.get(0)?, program.get(1)?);
    // Named rows must exist (a forged form or an API call may name any id).
    if let Some(id) = new.field_id
        && conn
            .query_opt("SELECT 1 FROM fields WHERE id = $1", params![id])?
            .is_none()
    {
        errors.add("field_id", "Không có lĩnh vực này.");
    }
    if let Some(id) = new.locality_id
        && conn
            .query_opt("SELECT 1 FROM localities WHERE id = $1", params![id])?
            .is_none()
    {
        errors.add("locality_id", "Không có địa bàn này.");
    }
    if let Some(id) = new.commitment_id
        && conn
            .query_opt(
                "SELECT 1 FROM commitments WHERE id = $1 AND program_id = $2",
                params![id, program_id],
            )?
            .is_none()
    {
        errors.add("commitment_id", "Chương trình không có cam kết này.");
    }
    let owner = match new.owner_org_id {
        Some(id) => id,
        // A collaborator's report is their organisation's, as an agency person's case.
        None if actor.is_agency_staff() || actor.role == Role::Collaborator => actor.org_id,
        None if opening.who.contains(&Party::LeadStaff) && !workflow.lead_names_owner => lead_org,
        None => {
            errors.add("owner_org_id", "Chọn cơ quan báo cáo.");
            0
        }
    };
    if owner != 0 && !all.iter().any(|o| o.id == owner && o.is_current()) {
        errors.add("owner_org_id", "Không có cơ quan này.");
    }
    // Agency people open cases for their own organisation only.
    if owner != 0 && !actor.is_lead_staff() && !org::is_ancestor(&all, actor.org_id, owner) {
        errors.add(
            "owner_org_id",
            "Chỉ báo cáo được cho cơ quan, đơn vị của mình.",
        );
    }
    let (mut data, links) = read_fields(conn, actor, opening, &new.fields, at.today, &mut errors)?;
    let named = workflow
        .assignee_field
        .and_then(|f| data.get(f))
        .and_then(Json::as_i64);
    let assignee = match named {
        Some(org) => Some(org),
        None if owner == lead_org => None,
        None => Some(lead_org),
    };
    // Personal data goes to the kind's hook, never into the case's own columns.
    let fields = data.clone();
    data.retain(|k, _| !workflow.hooks.private.contains(&k.as_str()));
    let probe = Case {
        id: 0,
        kind: workflow.kind.into(),
        number: String::new(),
        title: title.clone(),
        body: body.clone(),
        state: String::new(),
        program_id,
        commitment_id: new.commitment_id,
        field_id: new.field_id,
        locality_id: new.locality_id,
        owner_org_id: owner,
        assignee_org_id: assignee,
        opened_at: 0,
        closed_at: None,
        updated_at: 0,
        version: 1,
        data: Map::new(),
        created_by: Some(actor.user_id),
    };
    let parties = model::parties(actor, &probe, &[], &all);
    if !opening.who.iter().any(|p| parties.contains(p)) {
        return Err(CaseError::Forbidden);
    }
    if !errors.is_empty() {
        return Err(CaseError::Invalid(errors));
    }
    let now = at.now_ms;
    let year = at.today.year();
    let n: i64 = conn.scalar(
        "INSERT INTO case_counters (prefix, year, last) VALUES ($1, $2, 1)
         ON CONFLICT (prefix, year) DO UPDATE SET last = case_counters.last + 1
         RETURNING last",
        params![workflow.prefix, i64::from(year)],
    )?;
    let number = format!("{}-{year}-{n:04}", workflow.prefix);
    let state = opening.to.unwrap_or("new");
    let id: i64 = conn.scalar(
        "INSERT INTO cases (kind, number, title, body, state, program_id, commitment_id, field_id,
                            locality_id, owner_org_id, assignee_org_id, created_by, opened_at,
                            updated_at, version, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, 1, $14) RETURNING id",
        params![
            workflow.kind,
            number.as_str(),
            title.as_str(),
            body.as_str(),
            state,
            program_id,
            new.commitment_id,
            new.field_id,
            new.locality_id,
            owner,
            assignee,
            actor.user_id,
            now,
            Json::Object(data.clone()).to_string()
        ],
    )?;
    let case = Case {
        id,
        number,
        state: state.into(),
        opened_at: now,
        updated_at: now,
        data,
        ..probe
    };
    record_event(
        conn,
        at,
        actor,
        &case,
        opening.action,
        None,
        Some(state),
        "",
        &Map::new(),
    )?;
    for (kind, target) in links {
        link(conn, at, case.id, target, &format!("answers_{kind}"))?;
    }
    start_clocks(conn, workflow, opening, &case, at)?;
    if let Some(opened) = workflow.hooks.opened {
        let opened_with = Opened {
            actor,
            workflow,
            action: opening.action,
            case: &case,
            fields: &fields,
            at,
        };
        opened(conn, &opened_with)?;
    }
    Ok(case)
}

/// Performs `action` on the case `number` as `actor`.
pub fn perform(
    conn: &mut dyn Conn,
    actor: &CaseActor,
    number: &str,
    action: &str,
    input: &ActionInput,
    at: &At<'_>,
) -> Result<Case, CaseError> {
    let case = model::by_number(conn, number)?.ok_or(CaseError::NotFound)?;
    let workflow = kinds::find(&case.kind).ok_or(CaseError::NotFound)?;
    let all = org::tree::current(conn)?;
    let recipient_orgs: Vec<i64> = model::recipients(conn, case.id)?
        .iter()
        .map(|r| r.organisation_id)
        .collect();
    let parties = model::parties(actor, &case, &recipient_orgs, &all);
    if parties.is_empty() {
        return Err(CaseError::NotFound);
    }
    let transition = workflow
        .transition(action)
        .ok_or(CaseError::UnknownAction)?;
    let closed = workflow.state(&case.state).is_some_and(|s| s.closed);
    if !transition.from.contains(&case.state.as_str()) || (closed && transition.to.is_some()) {
        return Err(CaseError::WrongState {
            state: case.state.clone(),
        });
    }
    if !transition.who.iter().any(|p| parties.contains(p)) {
        return Err(CaseError::Forbidden);
    }
    if input.version != case.version {
        return Err(CaseError::Stale {
            current: Box::new(case),
        });
    }
    if let Some(Effect::AcknowledgeReceipt { .. }) = transition.effects.first() {
        let mine = recipient_orgs
            .iter()
            .copied()
            .find(|r| org::is_ancestor(&all, actor.org_id, *r));
        let done: Option<i64> = match mine {
            Some(org) => conn.scalar(
                "SELECT acknowledged_at FROM case_recipients WHERE case_id = $1 AND organisation_id = $2",
                params![case.id, org],
            )?,
            None => None,
        };
        if done.is_some() {
            return Err(CaseError::Refused(
                "Cơ quan của bạn đã xác nhận nhận văn bản này.",
            ));
        }
    }
    let mut errors = FieldErrors::new();
    if transition.documents {
        let attached: i64 = conn.scalar(
            "SELECT COUNT(*) FROM attachments WHERE case_id = $1 AND withdrawn_at IS NULL",
            params![case.id],
        )?;
        if attached == 0 {
            errors.add("documents", "Cần đính kèm văn bản, tài liệu làm căn cứ (ít nhất một tệp) trước khi thực hiện thao tác này.");
        }
    }
    let (fields, links) = read_fields(
        conn,
        actor,
        transition,
        &input.fields,
        at.today,
        &mut errors,
    )?;
    if !errors.is_empty() {
        return Err(CaseError::Invalid(errors));
    }
    let kept = workflow.hooks.acted.map(|_| fields.clone());
    apply(conn, actor, workflow, &case, transition, fields, at)?;
    for (kind, target) in links {
        link(conn, at, case.id, target, &format!("answers_{kind}"))?;
    }
    let mut after = model::by_number(conn, &case.number)?.ok_or(CaseError::NotFound)?;
    for effect in transition.effects {
        run_effect(conn, actor, workflow, &mut after, *effect, &all, at)?;
    }
    if let (Some(acted), Some(fields)) = (workflow.hooks.acted, kept) {
        let acted_with = Acted {
            actor,
            workflow,
            case: &after,
            action,
            fields: &fields,
            at,
        };
        acted(conn, &acted_with)?;
    }
    Ok(after)
}

/// The state change itself: version check in the UPDATE, event, clocks.
fn apply(
    conn: &mut dyn Conn,
    actor: &CaseActor,
    workflow: &Workflow,
    case: &Case,
    transition: &Transition,
    fields: Map<String, Json>,
    at: &At<'_>,
) -> Result<(), CaseError> {
    let now = at.now_ms;
    let to = transition.to.unwrap_or(case.state.as_str());
    let closing = workflow.state(to).is_some_and(|s| s.closed);
    let mut data = case.data.clone();
    let note = fields
        .get("note")
        .and_then(Json::as_str)
        .unwrap_or("")
        .to_owned();
    for (k, v) in &fields {
        if k != "note" {
            data.insert(k.clone(), v.clone());
        }
    }
    let changed = conn.execute(
        "UPDATE cases SET state = $1, version = version + 1, updated_at = $2, data = $3,
                closed_at = CASE WHEN $4 = 1 THEN $2 ELSE closed_at END
         WHERE id = $5 AND version = $6",
        params![
            to,
            now,
            Json::Object(data).to_string(),
            closing,
            case.id,
            case.version
        ],
    )?;
    if changed == 0 {
        // Someone else changed it between our read and our write.
        let current = model::by_number(conn, &case.number)?.ok_or(CaseError::NotFound)?;
        return Err(CaseError::Stale {
            current: Box::new(current),
        });
    }
    let mut event_data = fields;
    event_data.remove("note");
    record_event(
        conn,
        at,
        actor,
        case,
        transition.action,
        Some(&case.state),
        transition.to,
        &note,
        &event_data,
    )?;
    stop_clocks(conn, at, transition.stops, case.id)?;
    let moved = Case {
        state: to.into(),
        ..case.clone()
    };
    start_clocks(conn, workflow, transition, &moved, at)?;
    Ok(())
}

/// Records an event that changes nothing of the case (an attachment added, action
/// `attach`): no state change, no clocks, and no version bump, so that nobody's open
/// form turns stale because a file arrived. Returns the event's id.
pub fn record_side_event(
    conn: &mut dyn Conn,
    actor: &CaseActor,
    case: &Case,
    action: &str,
    note: &str,
    now_ms: i64,
) -> Result<i64, CaseError> {
    let at = At {
        now_ms,
        today: clock::today(),
        // No clock starts or stops, so no deadline is ever computed.
        due: &|_, _| None,
    };
    record_event(
        conn,
        &at,
        actor,
        case,
        action,
        None,
        None,
        note,
        &Map::new(),
    )
}

/// Appends one event to the case's timeline; returns its id.
#[allow(clippy::too_many_arguments)]
pub(super) fn record_event(
    conn: &mut dyn Conn,
    at: &At<'_>,
    actor: &CaseActor,
    case: &Case,
    action: &str,
    from: Option<&str>,
    to: Option<&str>,
    note: &str,
    data: &Map<String, Json>,
) -> Result<i64, CaseError> {
    let id = conn.scalar(
        "INSERT INTO case_events (case_id, at, actor_id, actor_name, actor_org_id, action, from_state,
                                  to_state, note, data)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        params![
            case.id,
            at.now_ms,
            (actor.user_id > 0).then_some(actor.user_id),
            actor.name.as_str(),
            (actor.org_id > 0).then_some(actor.org_id),
            action,
            from,
            to,
            note,
            Json::Object(data.clone()).to_string()
        ],
    )?;
    // Whoever keeps a copy of the case (each node's search index) learns of it here.
    crate::search::outbox::case_changed(conn, case.id, at.now_ms)?;
    Ok(id)
}

fn link(
    conn: &mut dyn Conn,
    at: &At<'_>,
    from: i64,
    to: i64,
    relation: &str,
) -> Result<(), CaseError> {
    conn.execute(
        "INSERT INTO case_links (from_case_id, to_case_id, relation, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING",
        params![from, to, relation, at.now_ms],
    )?;
    Ok(())
}

impl From<Error> for CaseError {
    fn from(e: Error) -> Self {
        match e {
            Error::NotFound => CaseError::NotFound,
            Error::Forbidden => CaseError::Forbidden,
            Error::Refused(m) => CaseError::Refused(m),
            Error::Invalid(f) => CaseError::Invalid(f),
            Error::Db(d) => CaseError::Db(d),
        }
    }
}
