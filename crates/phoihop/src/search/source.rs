//! What the index is made of, read from the database: a document per case (title;
//! body and every note on its timeline) and one per attachment still on its case (file
//! name; extracted text), each with the organisations that may open it and its facets.

use std::collections::HashMap;

use time::OffsetDateTime;

use crate::clock;
use crate::db::{Conn, DbError};
use crate::params;

use super::{Doc, Source};

/// Cases read per batch when everything is indexed.
pub const BATCH: usize = 500;

/// The next `BATCH` case ids below `before`, highest first (a rebuild reads the
/// newest cases first: see `store::bulk`).
pub fn case_ids_before(conn: &mut dyn Conn, before: i64) -> Result<Vec<i64>, DbError> {
    // LIMIT is written into the SQL: a bound LIMIT makes SQLite (built with STAT4) plan
    // the statement again on every run.
    conn.query(
        &format!("SELECT id FROM cases WHERE id < $1 ORDER BY id DESC LIMIT {BATCH}"),
        params![before],
    )?
    .iter()
    .map(|r| r.get(0))
    .collect()
}

fn year_of(ms: i64) -> i32 {
    OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .map(|t| t.to_offset(clock::VIETNAM).year())
        .unwrap_or(1970)
}

/// The documents of `case_ids` as they stand now (none for an id with no case).
pub fn docs_for(conn: &mut dyn Conn, case_ids: &[i64]) -> Result<Vec<Doc>, DbError> {
    if case_ids.is_empty() {
        return Ok(Vec::new());
    }
    // Integers we hold, never user text.
    let ids = case_ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let mut notes: HashMap<i64, String> = HashMap::new();
    for r in conn.query(
        &format!(
            "SELECT case_id, note FROM case_events WHERE case_id IN ({ids}) AND note <> '' ORDER BY id"
        ),
        &[],
    )? {
        let text: String = r.get(1)?;
        let body = notes.entry(r.get(0)?).or_default();
        body.push('\n');
        body.push_str(&text);
    }
    let mut orgs: HashMap<i64, Vec<i64>> = HashMap::new();
    for r in conn.query(
        &format!("SELECT case_id, organisation_id FROM case_recipients WHERE case_id IN ({ids})"),
        &[],
    )? {
        orgs.entry(r.get(0)?).or_default().push(r.get(1)?);
    }
    let mut docs = Vec::with_capacity(case_ids.len());
    let mut cases: HashMap<i64, usize> = HashMap::new();
    for r in conn.query(
        &format!(
            "SELECT id, kind, number, title, body, state, field_id, owner_org_id, assignee_org_id, opened_at
             FROM cases WHERE id IN ({ids}) ORDER BY id"
        ),
        &[],
    )? {
        let id: i64 = r.get(0)?;
        let owner: i64 = r.get(7)?;
        let assignee: Option<i64> = r.get(8)?;
        let mut who = vec![owner];
        who.extend(assignee);
        who.extend(orgs.remove(&id).unwrap_or_default());
        who.sort_unstable();
        who.dedup();
        let opened: i64 = r.get(9)?;
        let mut body: String = r.get(4)?;
        if let Some(n) = notes.remove(&id) {
            body.push_str(&n);
        }
        cases.insert(id, docs.len());
        docs.push(Doc {
            source: Source::Case,
            ref_id: id,
            case_id: id,
            case_number: r.get(2)?,
            label: r.get(3)?,
            body,
            at: opened,
            orgs: who,
            kind: r.get(1)?,
            state: r.get(5)?,
            field_id: r.get(6)?,
            agency_id: owner,
            year: year_of(opened),
        });
    }
    for r in conn.query(
        &format!(
            "SELECT id, case_id, file_name, text_content, uploaded_at FROM attachments
             WHERE case_id IN ({ids}) AND withdrawn_at IS NULL ORDER BY id"
        ),
        &[],
    )? {
        let case_id: i64 = r.get(1)?;
        let Some(case) = cases.get(&case_id).map(|&i| docs[i].clone()) else {
            continue;
        };
        docs.push(Doc {
            source: Source::Attachment,
            ref_id: r.get(0)?,
            label: r.get(2)?,
            body: r.get(3)?,
            at: r.get(4)?,
            ..case
        });
    }
    Ok(docs)
}
