//! Lists of cases a person may see, filtered and paged by id (keyset: no OFFSET scans,
//! whatever page one is on).

use crate::access::Role;
use crate::clock;
use crate::db::{Conn, Row, Value};
use crate::error::Result;
use crate::org::{self, tree::OrgTree};

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
/// The most lines a page may ask for (`limit`).
pub const MAX_LIMIT: i64 = 200;

/// One page of the cases `actor` may see that match `filter`, newest first.
pub fn visible(conn: &mut dyn Conn, actor: &CaseActor, filter: &Filter) -> Result<Vec<Case>> {
    page(conn, actor, filter, None, CASE_COLUMNS)?
        .iter()
        .map(Case::from_row)
        .collect()
}

/// A case as a list line shows it.
#[derive(Debug, Clone)]
pub struct Listed {
    pub id: i64,
    pub kind: String,
    pub number: String,
    pub title: String,
    pub state: String,
    pub owner_org_id: i64,
    pub opened_at: i64,
    /// A running clock of the case is past its date.
    pub overdue: bool,
}

/// [`visible`] as list lines, with each case's overdue mark read in the same statement,
/// and the organisation-tree version (`org::tree`) read with them, so that the caller
/// needs no statement of its own for it. `tree` is the tree the caller holds, if any
/// (an agency person's scope needs it before the query); `None` when nothing was found.
pub fn lines(
    conn: &mut dyn Conn,
    actor: &CaseActor,
    filter: &Filter,
    tree: Option<&OrgTree>,
) -> Result<(Vec<Listed>, Option<i64>)> {
    let columns = format!(
        "c.id, c.kind, c.number, c.title, c.state, c.owner_org_id, c.opened_at, \
         CASE WHEN {} THEN 1 ELSE 0 END, (SELECT v FROM org_version WHERE id = 1)",
        overdue_test()
    );
    let rows = page(conn, actor, filter, tree, &columns)?;
    let version = match rows.first() {
        Some(r) => Some(r.get(8)?),
        None => None,
    };
    let lines = rows
        .iter()
        .map(|r| {
            Ok(Listed {
                id: r.get(0)?,
                kind: r.get(1)?,
                number: r.get(2)?,
                title: r.get(3)?,
                state: r.get(4)?,
                owner_org_id: r.get(5)?,
                opened_at: r.get(6)?,
                overdue: r.get::<i64>(7)? == 1,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((lines, version))
}

/// True when the page is found by walking one index and stops after its rows (so it
/// may run on the request's own thread, `Db::read_quick`): lead-body staff with no
/// filter, or filtering by kind and state, and perhaps field, in the indexes' order.
pub fn is_bounded(actor: &CaseActor, filter: &Filter) -> bool {
    let others = filter.locality_id.is_some()
        || filter.owner_org_id.is_some()
        || filter.overdue == Some(true)
        || filter.from.is_some()
        || filter.to.is_some();
    let shape = matches!(
        (&filter.kind, &filter.state, filter.field_id),
        (None, None, None) | (Some(_), Some(_), _)
    );
    actor.is_lead_staff() && shape && !others
}

/// "Case `c` has a running clock past its date": its earliest running deadline (kept
/// on the case by triggers, migration 0008) is before today. Today is written in: a
/// date we produced (digits and dashes), and one statement text per day.
fn overdue_test() -> String {
    format!("c.due_on < '{}'", clock::iso_date(clock::today()))
}

/// The rows of `columns` (of `cases c`) for one page.
fn page(
    conn: &mut dyn Conn,
    actor: &CaseActor,
    filter: &Filter,
    tree: Option<&OrgTree>,
    columns: &str,
) -> Result<Vec<Row>> {
    let mut args: Vec<Value> = Vec::new();
    // Kind and state (and field) have their own index, newest first: one walk of it
    // finds an agency's page as fast as its branches would. Other filters go by branch.
    let by_state = filter.kind.is_some() && filter.state.is_some();
    let branches = actor.is_agency_staff() && !actor.is_lead_staff() && !by_state;
    let conditions = conditions(filter, &mut args, branches);
    // Written into the SQL, not bound: SQLite prepares a statement again whenever the
    // value bound to its LIMIT changes (it plans with it), which costs more than the
    // whole read. A number we clamped, never user text.
    let limit = filter.limit.unwrap_or(PAGE).clamp(1, MAX_LIMIT);
    let sql = if actor.is_lead_staff() {
        format!(
            "SELECT {columns} FROM cases c WHERE 1 = 1{conditions} ORDER BY c.id DESC LIMIT {limit}"
        )
    } else if actor.is_agency_staff() {
        let held;
        let tree = match tree {
            Some(t) => t,
            None => {
                held = org::tree::current(conn)?;
                &held
            }
        };
        let scope = tree.below(actor.org_id);
        if scope.is_empty() {
            return Ok(Vec::new());
        }
        if branches {
            format!(
                "SELECT {columns} FROM cases c WHERE c.id IN ({}) ORDER BY c.id DESC LIMIT {limit}",
                agency_branches(&scope, &conditions, limit)
            )
        } else {
            // Integers we produced, never user text.
            let ids = scope
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(",");
            format!(
                "SELECT {columns} FROM cases c
                 WHERE (c.owner_org_id IN ({ids}) OR c.assignee_org_id IN ({ids})
                        OR EXISTS (SELECT 1 FROM case_recipients r
                                   WHERE r.case_id = c.id AND r.organisation_id IN ({ids}))){conditions}
                 ORDER BY c.id DESC LIMIT {limit}"
            )
        }
    } else if actor.role == Role::Collaborator {
        // What they filed themselves, and nothing of their organisation's.
        format!(
            "SELECT {columns} FROM cases c WHERE c.created_by = {}{conditions}
             ORDER BY c.id DESC LIMIT {limit}",
            actor.user_id
        )
    } else {
        return Ok(Vec::new());
    };
    Ok(conn.query(&sql, &args)?)
}

/// The filter as SQL conditions on `cases c` (each starting with " AND"), their values
/// pushed onto `args` and numbered after what is there. `walk_org` writes the columns
/// so that no index on them can be chosen (`kind || ''`, `field_id + 0`, both
/// portable): an agency branch then walks its organisation's own cases, newest first,
/// instead of every case in a state.
fn conditions(filter: &Filter, args: &mut Vec<Value>, walk_org: bool) -> String {
    let (text, int) = if walk_org {
        (" || ''", " + 0")
    } else {
        ("", "")
    };
    let mut sql = String::new();
    let mut arg = |clause: &str, value: Value| {
        args.push(value);
        sql.push_str(&clause.replace("$?", &format!("${}", args.len())));
    };
    if let Some(kind) = &filter.kind {
        arg(&format!(" AND c.kind{text} = $?"), kind.clone().into());
    }
    if let Some(state) = &filter.state {
        arg(&format!(" AND c.state{text} = $?"), state.clone().into());
    }
    if let Some(field) = filter.field_id {
        arg(&format!(" AND c.field_id{int} = $?"), field.into());
    }
    if let Some(locality) = filter.locality_id {
        arg(&format!(" AND c.locality_id{int} = $?"), locality.into());
    }
    if let Some(owner) = filter.owner_org_id {
        arg(&format!(" AND c.owner_org_id{int} = $?"), owner.into());
    }
    if let Some(from) = filter.from.as_deref().and_then(clock::parse_user_date) {
        arg(" AND c.opened_at >= $?", clock::day_start_ms(from).into());
    }
    if let Some(to) = filter
        .to
        .as_deref()
        .and_then(clock::parse_user_date)
        .and_then(|d| d.next_day())
    {
        arg(" AND c.opened_at < $?", clock::day_start_ms(to).into());
    }
    if let Some(before) = filter.before {
        arg(" AND c.id < $?", before.into());
    }
    if filter.overdue == Some(true) {
        sql.push_str(" AND ");
        sql.push_str(&overdue_test());
    }
    sql
}

/// The ids of the cases an agency person may see (owned by, assigned to or sent to
/// their organisation or a unit below it) that match `conditions`: one branch per
/// organisation and relation, each walking its own index newest first and stopping at
/// the page's length, so that a unit with few cases does not scan every case.
/// Integers we produced, never user text.
fn agency_branches(scope: &[i64], conditions: &str, limit: i64) -> String {
    let mut branches = Vec::with_capacity(scope.len() * 3);
    for org in scope {
        for column in ["c.owner_org_id", "c.assignee_org_id"] {
            branches.push(format!(
                "SELECT id FROM (SELECT c.id FROM cases c WHERE {column} = {org}{conditions}
                 ORDER BY c.id DESC LIMIT {limit}) b"
            ));
        }
        branches.push(format!(
            "SELECT id FROM (SELECT c.id FROM case_recipients r JOIN cases c ON c.id = r.case_id
             WHERE r.organisation_id = {org}{conditions} ORDER BY r.case_id DESC LIMIT {limit}) b"
        ));
    }
    branches.join(" UNION ")
}

/// The ids among `cases` with a running clock past its date: the same test as the
/// list lines' mark ([`overdue_test`], on the deadline each case keeps).
pub fn overdue_among(conn: &mut dyn Conn, cases: &[Case]) -> Result<Vec<i64>> {
    if cases.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = cases.iter().map(|c| c.id.to_string()).collect();
    // Integers we produced, never user text.
    let sql = format!(
        "SELECT c.id FROM cases c WHERE c.id IN ({}) AND {}",
        ids.join(","),
        overdue_test()
    );
    Ok(conn
        .query(&sql, &[])?
        .iter()
        .map(|r| r.get(0))
        .collect::<Result<_, _>>()?)
}

impl Filter {
    /// `/cases?…` with this filter, for links that keep it (the next page).
    pub fn query_string(&self) -> String {
        let mut parts = Vec::new();
        let mut push =
            |k: &str, v: String| parts.push(format!("{k}={}", crate::kit::urlencode(&v)));
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
