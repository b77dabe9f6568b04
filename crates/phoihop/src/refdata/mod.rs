//! Reference data that administrators keep: fields of work (lĩnh vực) and localities
//! (địa bàn). Both are data, never code: the 2025 reform showed that they change.

pub mod csv;
mod kept;
pub mod pages;
pub mod panel;

pub use kept::{active_fields, current_localities};

use crate::audit::{self, Who};
use crate::clock;
use crate::db::{Conn, Row};
use crate::error::{Error, FieldErrors, Result};
use crate::params;

#[derive(Debug, Clone)]
pub struct Field {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub active: bool,
}

pub fn fields(conn: &mut dyn Conn, include_inactive: bool) -> Result<Vec<Field>> {
    conn.query(
        "SELECT id, code, name, name_en, active FROM fields
         WHERE active = 1 OR $1 = 1 ORDER BY position, name",
        params![include_inactive],
    )?
    .iter()
    .map(field_from)
    .collect()
}

fn field_from(r: &Row) -> Result<Field> {
    Ok(Field {
        id: r.get(0)?,
        code: r.get(1)?,
        name: r.get(2)?,
        name_en: r.get(3)?,
        active: r.get(4)?,
    })
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct FieldForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub name_en: String,
}

pub fn create_field(conn: &mut dyn Conn, who: &Who, form: &FieldForm) -> Result<i64> {
    let mut errors = FieldErrors::new();
    let code = form.code.trim().to_lowercase();
    if code.is_empty()
        || code.len() > 40
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        errors.add("code", "Mã gồm 1–40 chữ không dấu, chữ số, - hoặc _.");
    }
    let name = errors.check("name", crate::org::values::Name::parse(&form.name));
    errors.clone().into_result()?;
    let Some(name) = name else {
        return Err(Error::Invalid(errors));
    };
    let position: i64 = conn.scalar("SELECT COALESCE(MAX(position), 0) + 1 FROM fields", &[])?;
    let id = conn
        .scalar(
            "INSERT INTO fields (code, name, name_en, position, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            params![code.as_str(), name.as_str(), form.name_en.trim(), position, clock::now_ms()],
        )
        .map_err(|e| if e.is_unique_on("code") { Error::field("code", "Mã này đã có.") } else { e.into() })?;
    audit::record(
        conn,
        who,
        audit::action::FIELD_CREATED,
        ("field", &code),
        name.as_str(),
    )?;
    Ok(id)
}

#[derive(Debug, Clone)]
pub struct Locality {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

impl Locality {
    pub fn level_label(&self) -> &'static str {
        level_label(&self.level)
    }

    fn from_row(r: &Row) -> Result<Locality> {
        Ok(Locality {
            id: r.get(0)?,
            code: r.get(1)?,
            name: r.get(2)?,
            level: r.get(3)?,
            parent_code: r.get(4)?,
            valid_from: r.get(5)?,
            valid_to: r.get(6)?,
        })
    }
}

pub fn level_label(level: &str) -> &'static str {
    match level {
        "province" => "Tỉnh, thành phố",
        "commune" => "Xã",
        "ward" => "Phường",
        "special_zone" => "Đặc khu",
        _ => "Khác",
    }
}

pub fn localities(conn: &mut dyn Conn, include_closed: bool) -> Result<Vec<Locality>> {
    conn.query(
        "SELECT l.id, l.code, l.name, l.level, p.code, l.valid_from, l.valid_to
         FROM localities l LEFT JOIN localities p ON p.id = l.parent_id
         WHERE l.valid_to IS NULL OR $1 = 1
         ORDER BY CASE l.level WHEN 'province' THEN 0 ELSE 1 END, l.name",
        params![include_closed],
    )?
    .iter()
    .map(Locality::from_row)
    .collect()
}

/// What an import did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ImportSummary {
    pub added: usize,
    pub updated: usize,
    pub closed: usize,
    pub unchanged: usize,
}

/// Replaces the list of localities with `rows` (already parsed and checked): new codes
/// are added, known codes updated, codes absent from `rows` closed today.
pub fn import_localities(
    conn: &mut dyn Conn,
    who: &Who,
    rows: &[csv::LocalityRow],
) -> Result<ImportSummary> {
    let existing = localities(conn, true)?;
    let mut summary = ImportSummary::default();
    let now = clock::now_ms();
    // Parents first, so that each row's parent id exists when it is written.
    let mut ordered: Vec<&csv::LocalityRow> = rows.iter().collect();
    ordered.sort_by_key(|r| r.parent_code.is_some());
    for row in ordered {
        let parent_id: Option<i64> = match &row.parent_code {
            Some(code) => Some(conn.scalar(
                "SELECT id FROM localities WHERE code = $1",
                params![code.as_str()],
            )?),
            None => None,
        };
        match existing.iter().find(|l| l.code == row.code) {
            None => {
                conn.execute(
                    "INSERT INTO localities (code, name, name_folded, level, parent_id, valid_from, valid_to, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    params![
                        row.code.as_str(),
                        row.name.as_str(),
                        vntext::fold(&row.name),
                        row.level.as_str(),
                        parent_id,
                        row.valid_from.clone(),
                        row.valid_to.clone(),
                        now
                    ],
                )?;
                summary.added += 1;
            }
            Some(old) => {
                let same = old.name == row.name
                    && old.level == row.level
                    && old.parent_code == row.parent_code
                    && old.valid_from == row.valid_from
                    && old.valid_to == row.valid_to;
                if same {
                    summary.unchanged += 1;
                    continue;
                }
                conn.execute(
                    "UPDATE localities SET name = $1, name_folded = $2, level = $3, parent_id = $4,
                            valid_from = $5, valid_to = $6 WHERE id = $7",
                    params![
                        row.name.as_str(),
                        vntext::fold(&row.name),
                        row.level.as_str(),
                        parent_id,
                        row.valid_from.clone(),
                        row.valid_to.clone(),
                        old.id
                    ],
                )?;
                summary.updated += 1;
            }
        }
    }
    let today = clock::iso_date(clock::today());
    for old in existing.iter().filter(|l| l.valid_to.is_none()) {
        if !rows.iter().any(|r| r.code == old.code) {
            conn.execute(
                "UPDATE localities SET valid_to = $1 WHERE id = $2",
                params![today.as_str(), old.id],
            )?;
            summary.closed += 1;
        }
    }
    audit::record(
        conn,
        who,
        audit::action::LOCALITIES_IMPORTED,
        ("localities", ""),
        &format!(
            "thêm {}, sửa {}, đóng {}, giữ nguyên {}",
            summary.added, summary.updated, summary.closed, summary.unchanged
        ),
    )?;
    Ok(summary)
}
