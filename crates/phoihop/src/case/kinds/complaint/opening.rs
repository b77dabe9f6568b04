//! The complaint kind's hooks: what the engine calls beyond its tables.
//!
//! - [`opened`]: in the transaction that registers a letter, records its facts
//!   ([`letters::record`]) and its senders apart from the case ([`complainant::record`]),
//!   starts its acceptance limit counted as the law counts it, and looks for the
//!   earlier letter it escalates past level ([`escalation::flag`]).
//! - [`acted`]: accepting a letter starts its resolution limit (first or second round,
//!   complex, remote); an extension moves it on where the law allows one.
//! - [`facts`]: whether it escalates past level, and the earlier letter, for everyone
//!   who sees the case; its senders only for those [`complainant::may_see`] lets in.

use serde_json::{Map, Value as Json, json};
use time::Date;

use super::complainant::{self, Complainant, ComplainantForm};
use super::escalation;
use super::letters::{self, Letter};
use super::limit_settings;
use super::limits::{Circumstances, Stage, code_for};
use super::{LetterType, Level};
use crate::case::CaseError;
use crate::case::clocks::start_on;
use crate::case::fields::cell_key;
use crate::case::hooks::{Acted, Fact, Opened};
use crate::case::model::{Case, CaseActor};
use crate::case::workflow::{Party, Workflow};
use crate::clock;
use crate::db::Conn;
use crate::error::FieldErrors;
use crate::i18n::Msg;
use crate::org;
use crate::params;

const ESCALATED: Msg = "Đơn vượt cấp";
const EARLIER: Msg = "Đơn vượt cấp — đơn trước ở cấp dưới còn trong hạn giải quyết";
const SENDERS: Msg = "Người gửi đơn";
const NO_SUCH_LETTER: Msg = "Hồ sơ này không phải là đơn thư.";

/// Every label the hooks show.
pub(super) const LABELS: &[Msg] = &[ESCALATED, EARLIER, SENDERS, NO_SUCH_LETTER];

fn text<'a>(fields: &'a Map<String, Json>, name: &str) -> &'a str {
    fields.get(name).and_then(Json::as_str).unwrap_or("")
}

/// The letter's facts as its opening gave them (each checked by its field's type).
fn letter_of(fields: &Map<String, Json>) -> Option<Letter> {
    Some(Letter {
        letter_type: LetterType::parse(text(fields, "letter_type"))?,
        level: Level::parse(text(fields, "level"))?,
        handling_org_id: fields.get("handling_org")?.as_i64()?,
        received_on: clock::parse_iso_date(text(fields, "received_on"))?,
    })
}

/// The senders of the opening's `complainants` rows, or what is wrong with each, at
/// its cell (`complainants.0.address`).
fn senders(fields: &Map<String, Json>) -> Result<Vec<Complainant>, FieldErrors> {
    let rows = fields
        .get("complainants")
        .and_then(Json::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut errors = FieldErrors::new();
    let mut people = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let cell = |name: &str| match row.get(name) {
            Some(Json::String(s)) => s.clone(),
            Some(Json::Number(n)) => n.to_string(),
            _ => String::new(),
        };
        let form = ComplainantForm {
            name: cell("name"),
            address: cell("address"),
            locality_id: cell("locality"),
            phone: cell("phone"),
            email: cell("email"),
            identity_number: cell("identity_number"),
        };
        match form.parse() {
            Ok(person) => people.push(person),
            Err(wrong) => {
                for (field, msg) in wrong.0 {
                    let column = if field == "locality_id" {
                        "locality"
                    } else {
                        field
                    };
                    errors.add(cell_key("complainants", i, column), msg);
                }
            }
        }
    }
    match errors.is_empty() {
        true => Ok(people),
        false => Err(errors),
    }
}

pub(super) fn opened(conn: &mut dyn Conn, o: &Opened<'_>) -> Result<(), CaseError> {
    let letter = letter_of(o.fields).ok_or(CaseError::Refused(NO_SUCH_LETTER))?;
    let people = senders(o.fields).map_err(CaseError::Invalid)?;
    letters::record(conn, o.case.id, &letter, o.at.today)?;
    complainant::record(conn, o.actor, o.case.id, &o.case.number, &people)?;
    let code = code_for(
        letter.letter_type,
        Stage::Acceptance,
        Circumstances::default(),
    );
    start_limit(
        conn,
        o.workflow,
        "acceptance",
        o.case,
        o.at,
        code,
        letter.received_on,
        0,
    )?;
    escalation::flag(conn, o.case.id)?;
    Ok(())
}

/// Starts clock `clock` with the last day of limit `code` counted from `from`, after
/// `extensions` extensions.
#[allow(clippy::too_many_arguments)]
fn start_limit(
    conn: &mut dyn Conn,
    workflow: &Workflow,
    clock: &str,
    case: &Case,
    at: &crate::case::engine::At<'_>,
    code: &str,
    from: Date,
    extensions: u8,
) -> Result<(), CaseError> {
    let spec = workflow.clock(clock).ok_or(CaseError::NotFound)?;
    let limits = limit_settings::load(conn)?;
    let calendar = crate::calendar::load(conn)?;
    let due = limits.due(&calendar, code, from, extensions)?;
    start_on(conn, spec, case, at, due)
}

/// The circumstances its acceptance recorded (kept on the case by the `accept` action).
fn circumstances(case: &Case) -> Circumstances {
    let yes = |name: &str| case.data.get(name).and_then(Json::as_str) == Some("yes");
    Circumstances {
        second_round: case.data.get("round").and_then(Json::as_str) == Some("second"),
        complex: yes("complex"),
        remote: yes("remote"),
    }
}

pub(super) fn acted(conn: &mut dyn Conn, a: &Acted<'_>) -> Result<(), CaseError> {
    if !matches!(a.action, "accept" | "extend") {
        return Ok(());
    }
    let letter = letters::get(conn, a.case.id)?.ok_or(CaseError::Refused(NO_SUCH_LETTER))?;
    let code = code_for(
        letter.letter.letter_type,
        Stage::Resolution,
        circumstances(a.case),
    );
    if a.action == "accept" {
        return start_limit(
            conn,
            a.workflow,
            "resolution",
            a.case,
            a.at,
            code,
            a.at.today,
            0,
        );
    }
    // An extension runs from the end of the limit it extends: the resolution limit
    // counted again from the acceptance, with one more extension each time.
    let rows = conn.query(
        "SELECT action, at FROM case_events WHERE case_id = $1 AND action IN ('accept', 'extend')
         ORDER BY id",
        params![a.case.id],
    )?;
    let mut accepted_on = a.at.today;
    let mut extensions: u8 = 0;
    for row in &rows {
        let (action, at): (String, i64) = (row.get(0)?, row.get(1)?);
        match action.as_str() {
            "accept" => accepted_on = clock::vietnam_date(at).unwrap_or(accepted_on),
            _ => extensions = extensions.saturating_add(1),
        }
    }
    start_limit(
        conn,
        a.workflow,
        "resolution",
        a.case,
        a.at,
        code,
        accepted_on,
        extensions,
    )
}

pub(super) fn facts(
    conn: &mut dyn Conn,
    actor: &CaseActor,
    case: &Case,
    _parties: &[Party],
) -> Result<Vec<Fact>, CaseError> {
    let Some(letter) = letters::get(conn, case.id)? else {
        return Ok(Vec::new());
    };
    let earlier = letter.escalated_from.as_ref();
    let mut facts = vec![
        Fact {
            key: "escalated_past_level",
            value: Json::Bool(earlier.is_some()),
            label: ESCALATED,
            text: String::new(),
            link: None,
            warning: true,
        },
        Fact {
            key: "escalated_from",
            value: earlier.map_or(Json::Null, |e| json!({"number": e.number})),
            label: EARLIER,
            text: earlier.map_or(String::new(), |e| e.number.clone()),
            link: earlier.map(|e| format!("/cases/{}", e.number)),
            warning: true,
        },
    ];
    let all = org::tree::current(conn)?;
    if complainant::may_see(actor, letter.letter.handling_org_id, &all) {
        let people = complainant::of_letter(conn, actor, case.id)?;
        let shown: Vec<String> = people
            .iter()
            .map(|p| {
                let c = &p.complainant;
                let reach: Vec<&str> = [
                    Some(c.address.as_str()).filter(|a| !a.is_empty()),
                    c.phone.as_ref().map(|v| v.as_str()),
                    c.email.as_ref().map(|v| v.as_str()),
                ]
                .into_iter()
                .flatten()
                .collect();
                match reach.is_empty() {
                    true => c.name.clone(),
                    false => format!("{} ({})", c.name, reach.join("; ")),
                }
            })
            .collect();
        let value: Vec<Json> = people
            .iter()
            .map(|p| {
                let c = &p.complainant;
                json!({
                    "name": c.name,
                    "address": c.address,
                    "locality": c.locality_id,
                    "phone": c.phone.as_ref().map(|v| v.as_str()),
                    "email": c.email.as_ref().map(|v| v.as_str()),
                    "identity_number": c.identity.as_ref().map(|v| v.as_str()),
                })
            })
            .collect();
        facts.push(Fact {
            key: "complainants",
            value: Json::Array(value),
            label: SENDERS,
            text: shown.join(" · "),
            link: None,
            warning: false,
        });
    }
    Ok(facts)
}
