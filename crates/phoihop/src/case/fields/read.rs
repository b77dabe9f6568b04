//! Reading and checking the fields an action declares, for the engine, whatever sent
//! them (the API's JSON, or a form turned into JSON by `form.rs`): plain values through
//! `value.rs`, references looked up (an organisation current, a person active, a
//! locality in force, a field of work active, a case of the declared kind the person can
//! see), tables row by row. Every problem is a field error naming the field (or the
//! cell: `rows.2.topic`); nothing is stored unless all is well.

use serde_json::{Map, Value as Json};
use time::Date;

use crate::case::CaseError;
use crate::case::model::{self, CaseActor};
use crate::case::workflow::Transition;
use crate::db::Conn;
use crate::error::FieldErrors;
use crate::i18n::Msg;
use crate::org::{self, Organisation};
use crate::params;

use super::{FieldKind, FieldSpec, MAX_LINE, MAX_REFERENCES, MAX_TEXT, cell_key, value};

/// The values an action keeps, and the cases it links to (kind, id).
pub(in crate::case) type ReadFields = (Map<String, Json>, Vec<(&'static str, i64)>);

/// Reads and checks the fields `transition` declares from `input`; `today` bounds the
/// dates. Returns the values to keep and the cases to link; problems go to `errors`.
pub(in crate::case) fn read_fields(
    conn: &mut dyn Conn,
    actor: &CaseActor,
    transition: &Transition,
    input: &Map<String, Json>,
    today: Date,
    errors: &mut FieldErrors,
) -> Result<ReadFields, CaseError> {
    let mut reader = Reader {
        conn,
        actor,
        today,
        organisations: None,
        links: Vec::new(),
        errors,
    };
    let mut out = Map::new();
    for spec in transition.fields {
        let value = input.get(spec.name).unwrap_or(&Json::Null);
        if let Some(kept) = reader.field(spec, value, spec.name)? {
            out.insert(spec.name.into(), kept);
        }
    }
    if input
        .keys()
        .any(|k| !transition.fields.iter().any(|s| s.name == k))
    {
        reader
            .errors
            .add("fields", "Có trường không thuộc thao tác này.");
    }
    Ok((out, reader.links))
}

struct Reader<'a> {
    conn: &'a mut dyn Conn,
    actor: &'a CaseActor,
    today: Date,
    /// Read when a case reference is checked (whether the person can see it).
    organisations: Option<Vec<Organisation>>,
    links: Vec<(&'static str, i64)>,
    errors: &'a mut FieldErrors,
}

impl Reader<'_> {
    /// One field (or cell, under `key`): its value to keep, or nothing (absent, or wrong:
    /// then its error is added).
    fn field(
        &mut self,
        spec: &FieldSpec,
        value: &Json,
        key: &'static str,
    ) -> Result<Option<Json>, CaseError> {
        match self.kept(spec, value)? {
            Ok(Some(kept)) => Ok(Some(kept)),
            Ok(None) => {
                if spec.required {
                    self.errors.add(key, missing(spec.kind));
                }
                Ok(None)
            }
            Err(msg) => {
                self.errors.add(key, msg);
                Ok(None)
            }
        }
    }

    /// The value to keep; `Ok(Ok(None))` when nothing was given.
    fn kept(
        &mut self,
        spec: &FieldSpec,
        value: &Json,
    ) -> Result<Result<Option<Json>, Msg>, CaseError> {
        let today = self.today;
        Ok(match spec.kind {
            FieldKind::Line => value::text(value, MAX_LINE).map(|t| t.map(Json::String)),
            FieldKind::Text => value::text(value, MAX_TEXT).map(|t| t.map(Json::String)),
            FieldKind::Date(range) => value::date(value, range, today)
                .map(|d| d.map(|d| Json::String(crate::clock::iso_date(d)))),
            FieldKind::Number { min, max } => {
                value::number(value, min, max).map(|n| n.map(Json::from))
            }
            FieldKind::Choice(list) => value::choice(value, list).map(|c| c.map(Json::from)),
            FieldKind::Phone => value::phone(value).map(|p| p.map(Json::String)),
            FieldKind::Email => value::email(value).map(|e| e.map(Json::String)),
            FieldKind::Organisation => match value::id(value) {
                Ok(Some(id)) if !self.current_organisation(id)? => Err(NO_ORGANISATION),
                other => other.map(|id| id.map(Json::from)),
            },
            FieldKind::Organisations => match value::ids(value, MAX_REFERENCES) {
                Ok(ids) => {
                    let mut all_current = true;
                    for id in &ids {
                        if !self.current_organisation(*id)? {
                            all_current = false;
                            break;
                        }
                    }
                    match all_current {
                        false => Err("Có cơ quan không tồn tại hoặc đã giải thể."),
                        true if ids.is_empty() => Ok(None),
                        true => Ok(Some(Json::from(ids))),
                    }
                }
                Err(msg) => Err(msg),
            },
            FieldKind::Person => self.row_exists(
                value,
                "SELECT 1 FROM users WHERE id = $1 AND active = 1",
                "Không có người này, hoặc tài khoản đã ngừng hoạt động.",
            )?,
            FieldKind::Locality => self.row_exists(
                value,
                "SELECT 1 FROM localities WHERE id = $1 AND valid_to IS NULL",
                "Không có địa bàn này, hoặc địa bàn không còn hiệu lực.",
            )?,
            FieldKind::FieldOfWork => self.row_exists(
                value,
                "SELECT 1 FROM fields WHERE id = $1 AND active = 1",
                "Không có lĩnh vực này, hoặc lĩnh vực đã ngừng sử dụng.",
            )?,
            FieldKind::Case(kind) => match value {
                Json::Null => Ok(None),
                Json::String(s) if s.trim().is_empty() => Ok(None),
                Json::String(s) => match self.visible_case(kind, &s.trim().to_uppercase())? {
                    Some(number) => Ok(Some(Json::String(number))),
                    None => Err("Không có hồ sơ số này, hoặc bạn không xem được."),
                },
                _ => Err("Phải là một số hồ sơ."),
            },
            FieldKind::Cases(kind) => match value::case_numbers(value, MAX_REFERENCES) {
                Ok(numbers) => {
                    let mut all_visible = true;
                    for number in &numbers {
                        if self.visible_case(kind, number)?.is_none() {
                            all_visible = false;
                            break;
                        }
                    }
                    match all_visible {
                        false => Err("Có số hồ sơ không tồn tại hoặc bạn không xem được."),
                        true if numbers.is_empty() => Ok(None),
                        true => Ok(Some(Json::from(numbers))),
                    }
                }
                Err(msg) => Err(msg),
            },
            FieldKind::Rows { columns, max_rows } => self.rows(spec, columns, max_rows, value)?,
        })
    }

    /// An id naming a row that `sql` (with the id as `$1`) finds.
    fn row_exists(
        &mut self,
        value: &Json,
        sql: &str,
        absent: Msg,
    ) -> Result<Result<Option<Json>, Msg>, CaseError> {
        Ok(match value::id(value) {
            Ok(Some(id)) => match self.conn.query_opt(sql, params![id])? {
                Some(_) => Ok(Some(Json::from(id))),
                None => Err(absent),
            },
            other => other.map(|id| id.map(Json::from)),
        })
    }

    fn current_organisation(&mut self, id: i64) -> Result<bool, CaseError> {
        let valid_to: Option<Option<String>> = self
            .conn
            .query_opt(
                "SELECT valid_to FROM organisations WHERE id = $1",
                params![id],
            )?
            .map(|r| r.get(0))
            .transpose()?;
        Ok(matches!(valid_to, Some(None)))
    }

    /// The case `number` when it is of `kind` and the person can see it (it is then
    /// linked from this one).
    fn visible_case(
        &mut self,
        kind: &'static str,
        number: &str,
    ) -> Result<Option<String>, CaseError> {
        if self.organisations.is_none() {
            self.organisations = Some(org::list_all(self.conn)?);
        }
        let all = self.organisations.as_deref().unwrap_or_default();
        let found = model::by_number(self.conn, number)?
            .filter(|c| c.kind == kind)
            .filter(|c| !model::parties(self.actor, c, &[], all).is_empty());
        Ok(found.map(|c| {
            self.links.push((kind, c.id));
            c.number
        }))
    }

    /// A table: at most `max_rows` rows, each an object of declared columns; a row with
    /// nothing in it is left out.
    fn rows(
        &mut self,
        spec: &FieldSpec,
        columns: &'static [FieldSpec],
        max_rows: usize,
        value: &Json,
    ) -> Result<Result<Option<Json>, Msg>, CaseError> {
        let rows = match value {
            Json::Null => return Ok(Ok(None)),
            Json::Array(rows) => rows,
            _ => return Ok(Err("Phải là một danh sách các dòng.")),
        };
        // Refused before any row is read: 10,000 rows cost no more than 201.
        if rows.len() > max_rows {
            return Ok(Err("Nhiều dòng hơn số dòng tối đa của bảng này."));
        }
        let mut kept = Vec::with_capacity(rows.len());
        let mut wrong = false;
        for (i, row) in rows.iter().enumerate() {
            let Json::Object(cells) = row else {
                return Ok(Err("Mỗi dòng phải là một đối tượng gồm các ô của bảng."));
            };
            if cells.keys().any(|k| !columns.iter().any(|c| c.name == k)) {
                return Ok(Err("Có ô không thuộc bảng này."));
            }
            if cells.values().all(is_blank) {
                continue;
            }
            let before = self.errors.0.len();
            let mut out = Map::new();
            for column in columns {
                let value = cells.get(column.name).unwrap_or(&Json::Null);
                if let Some(v) = self.field(column, value, cell_key(spec.name, i, column.name))? {
                    out.insert(column.name.into(), v);
                }
            }
            wrong |= self.errors.0.len() > before;
            kept.push(Json::Object(out));
        }
        Ok(if wrong {
            // Each wrong cell has its own error; the table says so once.
            Err("Có ô chưa đúng trong bảng (xem các ô được đánh dấu).")
        } else if kept.is_empty() {
            Ok(None)
        } else {
            Ok(Some(Json::Array(kept)))
        })
    }
}

const NO_ORGANISATION: Msg = "Không có cơ quan này, hoặc cơ quan đã giải thể, hợp nhất.";

/// What to say of a required field left empty.
fn missing(kind: FieldKind) -> Msg {
    match kind {
        FieldKind::Organisations => "Chọn ít nhất một cơ quan.",
        FieldKind::Cases(_) => "Chọn ít nhất một hồ sơ.",
        FieldKind::Rows { .. } => "Cần ít nhất một dòng.",
        _ => "Không được để trống.",
    }
}

/// A cell with nothing typed in it (a form's empty input, or a JSON null).
fn is_blank(value: &Json) -> bool {
    match value {
        Json::Null => true,
        Json::String(s) => s.trim().is_empty(),
        Json::Array(items) => items.is_empty(),
        _ => false,
    }
}

/// The ids a stored list holds (the addressees an action recorded), leniently: what was
/// kept was checked when it was sent.
pub(in crate::case) fn id_list(value: Option<&Json>) -> Vec<i64> {
    match value {
        Some(Json::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_i64().or_else(|| v.as_str()?.trim().parse().ok()))
            .collect(),
        Some(Json::String(s)) => s
            .split([',', ' '])
            .filter_map(|p| p.trim().parse().ok())
            .collect(),
        Some(Json::Number(n)) => n.as_i64().into_iter().collect(),
        _ => Vec::new(),
    }
}
