//! Lists of cases a person may see, filtered and paged by id (keyset: no OFFSET scans,
//! whatever page one is on).

use crate::clock;
use crate::db::{Conn, Value};
use crate::error::Result;
use crate::org;

use super::model::{CASE_COLUMNS, Case, CaseActor};

/// Filters as they come from a query string. Empty values mean "any", and a value that
/// does not parse is ignored rather than refused: a filter never fails a page.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Filter {
    #[serde(default, deserialize_with = "text")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub state: Option<String>,
    #[serde(default, deserialize_with = "number")]
    pub field_id: Option<i64>,
    #[serde(default, deserialize_with = "number")]
    pub locality_id: Option<i64>,
    /// The owning agency.
    #[serde(default, deserialize_with = "number")]
    pub owner_org_id: Option<i64>,
    /// Only cases with a running clock past its date.
    #[serde(default, deserialize_with = "flag")]
    pub overdue: Option<bool>,
    /// Opened on or after / on or before (dd/mm/yyyy or ISO).
    #[serde(default, deserialize_with = "text")]
    pub from: Option<String>,
    #[serde(default, deserialize_with = "text")]
    pub to: Option<String>,
    /// Keyset: cases with a smaller id than this one.
    #[serde(default, deserialize_with = "number")]
    pub before: Option<i64>,
    #[serde(default, deserialize_with = "number")]
    pub limit: Option<i64>,
}

fn raw<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value: Option<serde_json::Value> = serde::Deserialize::deserialize(d)?;
    Ok(match value {
        Some(serde_json::Value::String(s)) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        Some(serde_json::Value::Bool(b)) => Some(b.to_string()),
        _ => None,
    })
}

fn text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    raw(d)
}

fn number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    Ok(raw(d)?.and_then(|s| s.parse().ok()))
}

fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(raw(d)?.map(|s| matches!(s.as_str(), "true" | "1" | "on")))
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

/// The ids among `cases` with a running clock past its date. Reads the clocks of just
/// these cases (by their index) and judges them here: a condition on state and date in
/// SQL would tempt the planner into scanning every running clock.
pub fn overdue_among(conn: &mut dyn Conn, cases: &[Case]) -> Result<Vec<i64>> {
    if cases.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = cases.iter().map(|c| c.id.to_string()).collect();
    // Integers we produced, never user text.
    let sql = format!(
        "SELECT case_id, state, due_on FROM case_clocks WHERE case_id IN ({})",
        ids.join(",")
    );
    let today = clock::iso_date(clock::today());
    let mut late = Vec::new();
    for row in conn.query(&sql, &[])? {
        let (id, state, due): (i64, String, String) = (row.get(0)?, row.get(1)?, row.get(2)?);
        if state == "running" && due < today && !late.contains(&id) {
            late.push(id);
        }
    }
    Ok(late)
}

impl Filter {
    /// `/cases?…` with this filter, for links that keep it (the next page).
    pub fn query_string(&self) -> String {
        let mut parts = Vec::new();
        let mut push =
            |k: &str, v: String| parts.push(format!("{k}={}", crate::web::error::urlencode(&v)));
        if let Some(v) = &self.kind {
            push("kind", v.clone());
        }
        if let Some(v) = &self.state {
            push("state", v.clone());
        }
        if let Some(v) = self.field_id {
            push("field_id", v.to_string());
        }
        if let Some(v) = self.locality_id {
            push("locality_id", v.to_string());
        }
        if let Some(v) = self.owner_org_id {
            push("owner_org_id", v.to_string());
        }
        if self.overdue == Some(true) {
            push("overdue", "true".into());
        }
        if let Some(v) = &self.from {
            push("from", v.clone());
        }
        if let Some(v) = &self.to {
            push("to", v.clone());
        }
        format!("/cases?{}", parts.join("&"))
    }
}
