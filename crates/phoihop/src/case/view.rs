//! What the case page shows, gathered in one read: the case with names instead of ids,
//! its timeline with labels, clocks, addressees, links, and the actions the person may
//! take now with the fields each needs. Pages and templates read this; they never query.

use crate::clock;
use crate::db::Conn;
use crate::i18n::Msg;
use crate::org::tree;
use crate::params;

use super::CaseError;
use super::fields::form::Options;
use super::fields::show::{self, Names, ShownField};
use super::hooks::{self, Fact};
use super::kinds;
use super::model::{self, Case, CaseActor, Event, Recipient};
use super::parties::{self, Holder};
use super::workflow::{Effect, Transition, Workflow};

pub struct CaseView {
    pub case: Case,
    pub workflow: &'static Workflow,
    pub state_label: &'static str,
    /// Who holds each of the kind's parties, by the kind's names for them.
    pub holders: Vec<Holder>,
    /// What the kind calls the parties the person holds on the case.
    pub yours: Vec<Msg>,
    pub field: Option<String>,
    pub locality: Option<String>,
    /// What the case was opened with (its kind's fields for opening), readably.
    pub facts: Vec<ShownField>,
    /// What the kind's hooks tell about it (a complaint escalated past level).
    pub kind_facts: Vec<Fact>,
    pub events: Vec<EventLine>,
    pub clocks: Vec<ClockLine>,
    pub recipients: Vec<Recipient>,
    /// Cases this one answers, and cases that answer it: (number, title, state label).
    pub links: Vec<(String, String, &'static str)>,
    pub actions: Vec<&'static Transition>,
    /// What the pickers of those actions' fields offer.
    pub options: Options,
    /// Files attached to the case (not withdrawn), oldest first.
    pub attachments: Vec<crate::attachment::Attachment>,
}

pub struct EventLine {
    pub event: Event,
    pub label: &'static str,
    pub to_label: Option<&'static str>,
    /// The fields the action was taken with, readably.
    pub details: Vec<ShownField>,
}

pub struct ClockLine {
    pub label: &'static str,
    /// Whose turn it is: the kind's name for the party, and its organisation.
    pub party: Option<Msg>,
    pub organisation: Option<String>,
    pub due_on: String,
    pub state: String,
    pub overdue: bool,
}

fn label_of(workflow: &Workflow, action: &str) -> &'static str {
    if let Some(opening) = workflow.openings().find(|t| t.action == action) {
        return opening.label;
    }
    match action {
        "all_received" => "Tất cả cơ quan đã nhận",
        "attach" => "Đính kèm tệp",
        "withdraw_attachment" => "Rút tệp đính kèm",
        _ => workflow.transition(action).map_or("Thay đổi", |t| t.label),
    }
}

/// The case by number with the names of its field and locality, the organisation
/// tree's version, and whether it has links and attachments (most have neither, and a
/// probe of an index costs less than a query), in one statement.
const CASE_BY_NUMBER: &str = concat!(
    "SELECT ",
    model::case_columns!(),
    ", f.name, l.name, (SELECT v FROM org_version WHERE id = 1),
     CASE WHEN EXISTS (SELECT 1 FROM case_links k WHERE k.from_case_id = c.id)
            OR EXISTS (SELECT 1 FROM case_links k WHERE k.to_case_id = c.id) THEN 1 ELSE 0 END,
     CASE WHEN EXISTS (SELECT 1 FROM attachments a WHERE a.case_id = c.id AND a.withdrawn_at IS NULL)
          THEN 1 ELSE 0 END
     FROM cases c LEFT JOIN fields f ON f.id = c.field_id
     LEFT JOIN localities l ON l.id = c.locality_id
     WHERE c.number = $1"
);

/// Everything the page of case `number` shows to `actor`; not found when they may not see it.
pub fn load(conn: &mut dyn Conn, actor: &CaseActor, number: &str) -> Result<CaseView, CaseError> {
    let row = conn
        .query_opt(CASE_BY_NUMBER, params![number.trim().to_uppercase()])?
        .ok_or(CaseError::NotFound)?;
    let case = Case::from_row(&row)?;
    let (field, locality): (Option<String>, Option<String>) = (row.get(18)?, row.get(19)?);
    let workflow = kinds::find(&case.kind).ok_or(CaseError::NotFound)?;
    let all = tree::at_version(conn, row.get(20)?)?;
    let (has_links, has_attachments) = (row.get::<i64>(21)? == 1, row.get::<i64>(22)? == 1);
    // Only kinds that send to addressees have any.
    let sends = workflow
        .transitions
        .iter()
        .any(|t| t.effects.contains(&Effect::SendToRecipients));
    let recipients = if sends {
        model::recipients(conn, case.id)?
    } else {
        Vec::new()
    };
    let recipient_orgs: Vec<i64> = recipients.iter().map(|r| r.organisation_id).collect();
    let parties = model::parties(actor, &case, &recipient_orgs, &all);
    if parties.is_empty() {
        return Err(CaseError::NotFound);
    }
    let name = |id: i64| all.name(id).map(str::to_owned);
    let events = model::events(conn, case.id)?;
    let facts_kept = workflow
        .create
        .fields
        .iter()
        .filter_map(|f| Some((f, case.data.get(f.name)?)));
    let sent = events.iter().flat_map(|e| {
        e.data
            .iter()
            .filter_map(|(k, v)| Some((show::spec_of(workflow, Some(&e.action), k)?, v)))
    });
    let names = Names::load(conn, name, facts_kept.clone().chain(sent))?;
    // What the kind tells of a field itself (a report's period, readably) shows in
    // the field's place.
    let kind_facts = hooks::facts(conn, workflow, actor, &case, &parties)?;
    let told = |name: &str| {
        kind_facts
            .iter()
            .any(|k| k.key == name && !k.text.is_empty())
    };
    let facts = facts_kept
        .filter(|(f, _)| !told(f.name))
        .map(|(f, v)| ShownField {
            label: f.label,
            value: show::shown(f, v, &names),
        })
        .collect();
    let events = events
        .into_iter()
        .map(|event| {
            let details = event
                .data
                .iter()
                .map(
                    |(k, v)| match show::spec_of(workflow, Some(&event.action), k) {
                        Some(spec) => ShownField {
                            label: spec.label,
                            value: show::shown(spec, v, &names),
                        },
                        None => ShownField {
                            label: "Chi tiết",
                            value: show::Shown::Text(match v {
                                serde_json::Value::String(s) => s.clone(),
                                other => other.to_string(),
                            }),
                        },
                    },
                )
                .collect();
            EventLine {
                label: label_of(workflow, &event.action),
                to_label: event
                    .to_state
                    .as_deref()
                    .and_then(|s| workflow.state(s))
                    .map(|s| s.label),
                details,
                event,
            }
        })
        .collect();
    let today = clock::iso_date(clock::today());
    let clocks = conn
        .query(
            "SELECT clock, org_id, due_on, state FROM case_clocks WHERE case_id = $1 ORDER BY id",
            params![case.id],
        )?
        .iter()
        .map(|r| -> Result<ClockLine, CaseError> {
            let code: String = r.get(0)?;
            let state: String = r.get(3)?;
            let due_on: String = r.get(2)?;
            Ok(ClockLine {
                label: workflow.clock(&code).map_or("Hạn xử lý", |c| c.label),
                party: workflow
                    .clock(&code)
                    .and_then(|c| workflow.party_label(c.party)),
                organisation: r.get::<Option<i64>>(1)?.and_then(name),
                overdue: state == "running" && due_on < today,
                due_on: clock::show_iso_date(&due_on),
                state,
            })
        })
        .collect::<Result<_, _>>()?;
    let mut links = Vec::new();
    let link_rows = if has_links {
        conn.query(
        "SELECT c.number, c.title, c.kind, c.state FROM case_links l JOIN cases c ON c.id = l.to_case_id
         WHERE l.from_case_id = $1
         UNION ALL
         SELECT c.number, c.title, c.kind, c.state FROM case_links l JOIN cases c ON c.id = l.from_case_id
         WHERE l.to_case_id = $1",
            params![case.id],
        )?
    } else {
        Vec::new()
    };
    for row in link_rows {
        let (kind, state): (String, String) = (row.get(2)?, row.get(3)?);
        let label = kinds::find(&kind)
            .and_then(|w| w.state(&state))
            .map_or("", |s| s.label);
        links.push((row.get(0)?, row.get(1)?, label));
    }
    let actions = workflow.allowed(&case.state, &parties);
    let mut yours: Vec<Msg> = Vec::new();
    for label in parties.iter().filter_map(|p| workflow.party_label(*p)) {
        if !yours.contains(&label) {
            yours.push(label);
        }
    }
    let options = Options::load(
        conn,
        actor,
        &all,
        actions.iter().flat_map(|t| t.fields.iter()),
    )?;
    Ok(CaseView {
        state_label: workflow.state(&case.state).map_or("", |s| s.label),
        holders: parties::holders(conn, workflow, &case, &recipients, &all)?,
        yours,
        field,
        locality,
        facts,
        kind_facts,
        actions,
        attachments: if has_attachments {
            crate::attachment::for_case(conn, case.id)?
        } else {
            Vec::new()
        },
        workflow,
        events,
        clocks,
        recipients,
        links,
        options,
        case,
    })
}
