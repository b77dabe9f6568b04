//! Coordination programs (chương trình phối hợp): the record that every case belongs
//! to: the parties that signed it and their signatories, its term, its fields, and its
//! commitments (the articles, each with a responsible party). The program's own pages
//! and progress figures build on this.

use crate::clock;
use crate::db::Conn;
use crate::error::{Error, Result};
use crate::params;

#[derive(Debug, Clone)]
pub struct Program {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub lead_org_id: i64,
    pub term_from: String,
    pub term_to: String,
    pub signed_on: Option<String>,
    pub summary: String,
}

/// A program to create: the lead body, the term, the parties with their signatories.
pub struct NewProgram<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub lead_org_id: i64,
    pub term_from: time::Date,
    pub term_to: time::Date,
    pub signed_on: Option<time::Date>,
    pub summary: &'a str,
    /// (organisation, signatory name, signatory title)
    pub parties: Vec<(i64, String, String)>,
    pub field_ids: Vec<i64>,
}

pub fn create(conn: &mut dyn Conn, new: &NewProgram<'_>) -> Result<i64> {
    if new.term_to < new.term_from {
        return Err(Error::field(
            "term_to",
            "Ngày kết thúc phải sau ngày bắt đầu.",
        ));
    }
    let id: i64 = conn
        .scalar(
            "INSERT INTO programs (code, name, lead_org_id, term_from, term_to, signed_on, summary, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            params![
                new.code,
                new.name,
                new.lead_org_id,
                clock::iso_date(new.term_from),
                clock::iso_date(new.term_to),
                new.signed_on.map(clock::iso_date),
                new.summary,
                clock::now_ms()
            ],
        )
        .map_err(|e| if e.is_unique_on("code") { Error::field("code", "Mã chương trình này đã có.") } else { e.into() })?;
    for (org, name, title) in &new.parties {
        conn.execute(
            "INSERT INTO program_parties (program_id, organisation_id, signatory_name, signatory_title)
             VALUES ($1, $2, $3, $4)",
            params![id, *org, name.as_str(), title.as_str()],
        )?;
    }
    for field in &new.field_ids {
        conn.execute(
            "INSERT INTO program_fields (program_id, field_id) VALUES ($1, $2)",
            params![id, *field],
        )?;
    }
    Ok(id)
}

/// Adds an article to a program.
pub fn add_commitment(
    conn: &mut dyn Conn,
    program_id: i64,
    number: &str,
    title: &str,
    responsible_org_id: Option<i64>,
) -> Result<i64> {
    let position: i64 = conn.scalar(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM commitments WHERE program_id = $1",
        params![program_id],
    )?;
    Ok(conn.scalar(
        "INSERT INTO commitments (program_id, number, title, responsible_org_id, position)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
        params![program_id, number, title, responsible_org_id, position],
    )?)
}

/// Every program, the current ones first.
pub fn list(conn: &mut dyn Conn) -> Result<Vec<Program>> {
    conn.query(
        "SELECT id, code, name, lead_org_id, term_from, term_to, signed_on, summary
         FROM programs ORDER BY term_to DESC, id DESC",
        &[],
    )?
    .iter()
    .map(|r| {
        Ok(Program {
            id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            lead_org_id: r.get(3)?,
            term_from: r.get(4)?,
            term_to: r.get(5)?,
            signed_on: r.get(6)?,
            summary: r.get(7)?,
        })
    })
    .collect()
}
