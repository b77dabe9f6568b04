//! Lists of cases a person may see, filtered and paged by id (keyset: no OFFSET scans,
//! whatever page one is on).

use crate::clock;
use crate::db::{Conn, Value};
use crate::error::Result;
use crate::org;

use super::model::{CASE_COLUMNS, Case, CaseActor};

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Filter {
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub field_id: Option<i64>,
    #[serde(default)]
    pub locality_id: Option<i64>,
    /// The owning agency.
    #[serde(default)]
    pub owner_org_id: Option<i64>,
    /// Only cases with a running clock past its date.
    #[serde(default)]
    pub overdue: Option<bool>,
    /// Opened on or after / before (ISO dates).
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    /// Keyset: cases with a smaller id than this one.
    #[serde(default)]
    pub before: Option<i64>,
    #[serde(default)]
    pub limit: Option<i64>,
}

pub const PAGE: i64 = 50;

/// One page of the cases `actor` may see that match `filter`, newest first.
pub fn visible(conn: &mut dyn Conn, actor: &CaseActor, filter: &Filter) -> Result<Vec<Case>> {
    let mut sql = format!("SELECT {CASE_COLUMNS} FROM cases c WHERE 1 = 1");
    let mut args: Vec<Value> = Vec::new();
    let mut arg = |sql: &mut String, clause: &str, value: Value| {
        args.push(value);
        sql.push_str(&clause.replace("$?", &format!("${}", args.len())));
    };
    if !actor.is_lead_staff() {
        if !actor.is_agency_staff() {
            return Ok(Vec::new());
        }
        let all = org::list_all(conn)?;
        let scope: Vec<String> = super::model::own_scope(actor, &all)
            .iter()
            .map(i64::to_string)
            .collect();
        // Integers we produced, never user text.
        let ids = scope.join(",");
        sql.push_str(&format!(
            " AND (c.owner_org_id IN ({ids}) OR c.assignee_org_id IN ({ids})
                   OR EXISTS (SELECT 1 FROM case_recipients r WHERE r.case_id = c.id AND r.organisation_id IN ({ids})))"
        ));
    }
    if let Some(kind) = &filter.kind {
        arg(&mut sql, " AND c.kind = $?", kind.clone().into());
    }
    if let Some(state) = &filter.state {
        arg(&mut sql, " AND c.state = $?", state.clone().into());
    }
    if let Some(field) = filter.field_id {
        arg(&mut sql, " AND c.field_id = $?", field.into());
    }
    if let Some(locality) = filter.locality_id {
        arg(&mut sql, " AND c.locality_id = $?", locality.into());
    }
    if let Some(owner) = filter.owner_org_id {
        arg(&mut sql, " AND c.owner_org_id = $?", owner.into());
    }
    if filter.overdue == Some(true) {
        arg(
            &mut sql,
            " AND EXISTS (SELECT 1 FROM case_clocks k WHERE k.case_id = c.id AND k.state = 'running' AND k.due_on < $?)",
            clock::iso_date(clock::today()).into(),
        );
    }
    if let Some(from) = filter.from.as_deref().and_then(clock::parse_user_date) {
        arg(
            &mut sql,
            " AND c.opened_at >= $?",
            clock::day_start_ms(from).into(),
        );
    }
    if let Some(to) = filter
        .to
        .as_deref()
        .and_then(clock::parse_user_date)
        .and_then(|d| d.next_day())
    {
        arg(
            &mut sql,
            " AND c.opened_at < $?",
            clock::day_start_ms(to).into(),
        );
    }
    if let Some(before) = filter.before {
        arg(&mut sql, " AND c.id < $?", before.into());
    }
    let limit = filter.limit.unwrap_or(PAGE).clamp(1, 200);
    arg(&mut sql, " ORDER BY c.id DESC LIMIT $?", limit.into());
    conn.query(&sql, &args)?
        .iter()
        .map(Case::from_row)
        .collect()
}
