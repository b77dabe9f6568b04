//! Reading the fields an action declares from what was sent (JSON from the API, or a
//! form turned into JSON): text is normalised and bounded, organisations must exist
//! and be current, case numbers must name cases of the right kind the person can see.

use serde_json::{Map, Value as Json};

use crate::db::Conn;
use crate::error::{FieldErrors, NUL};
use crate::org;
use crate::params;

use super::CaseError;
use super::engine::{MAX_LINE, MAX_TEXT};
use super::model::{self, CaseActor};
use super::workflow::{FieldKind, FieldSpec, Transition};

/// The values an action keeps, and the cases it links to (kind, id).
pub(super) type ReadFields = (Map<String, Json>, Vec<(&'static str, i64)>);

/// Reads and checks the fields a transition declares. Returns the values to keep and
/// the cases to link.
pub(super) fn read_fields(
    conn: &mut dyn Conn,
    actor: &CaseActor,
    transition: &Transition,
    input: &Map<String, Json>,
    errors: &mut FieldErrors,
) -> Result<ReadFields, CaseError> {
    let mut out = Map::new();
    let mut links = Vec::new();
    for spec in transition.fields {
        let value = input.get(spec.name);
        match spec.kind {
            FieldKind::Line | FieldKind::Text => {
                let text = value
                    .and_then(Json::as_str)
                    .map(|t| vntext::normalize(t.trim()))
                    .unwrap_or_default();
                let limit = if spec.kind == FieldKind::Line {
                    MAX_LINE
                } else {
                    MAX_TEXT
                };
                if text.is_empty() && spec.required {
                    errors.add(spec.name, "Không được để trống.");
                } else if text.chars().count() > limit {
                    errors.add(spec.name, "Quá dài.");
                } else if text.contains('\0') {
                    errors.add(spec.name, NUL);
                } else if !text.is_empty() {
                    out.insert(spec.name.into(), Json::String(text));
                }
            }
            FieldKind::Organisations => {
                let ids = id_list(value);
                if ids.is_empty() && spec.required {
                    errors.add(spec.name, "Chọn ít nhất một cơ quan.");
                }
                for id in &ids {
                    let current: Option<Option<String>> = conn
                        .query_opt(
                            "SELECT valid_to FROM organisations WHERE id = $1",
                            params![*id],
                        )?
                        .map(|r| r.get(0))
                        .transpose()?;
                    if !matches!(current, Some(None)) {
                        errors.add(spec.name, "Có cơ quan không tồn tại hoặc đã giải thể.");
                        break;
                    }
                }
                if !ids.is_empty() {
                    out.insert(
                        spec.name.into(),
                        Json::Array(ids.into_iter().map(Json::from).collect()),
                    );
                }
            }
            FieldKind::Cases(kind) => {
                let numbers = text_list(value);
                if numbers.is_empty() && spec.required {
                    errors.add(spec.name, "Chọn ít nhất một hồ sơ.");
                }
                let all = org::list_all(conn)?;
                for number in &numbers {
                    let found = model::by_number(conn, number)?
                        .filter(|c| c.kind == kind)
                        .filter(|c| !model::parties(actor, c, &[], &all).is_empty());
                    match found {
                        Some(c) => links.push((kind, c.id)),
                        None => {
                            errors.add(
                                spec.name,
                                "Có số hồ sơ không tồn tại hoặc bạn không xem được.",
                            );
                            break;
                        }
                    }
                }
                if !numbers.is_empty() {
                    out.insert(
                        spec.name.into(),
                        Json::Array(numbers.into_iter().map(Json::String).collect()),
                    );
                }
            }
        }
    }
    check_unknown(transition.fields, input, errors);
    Ok((out, links))
}

/// Fields sent that the action does not take are refused, so a typo is not silently lost.
fn check_unknown(specs: &[FieldSpec], input: &Map<String, Json>, errors: &mut FieldErrors) {
    if input.keys().any(|k| !specs.iter().any(|s| s.name == k)) {
        errors.add("fields", "Có trường không thuộc thao tác này.");
    }
}

pub(super) fn id_list(value: Option<&Json>) -> Vec<i64> {
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

fn text_list(value: Option<&Json>) -> Vec<String> {
    let raw: Vec<String> = match value {
        Some(Json::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Some(Json::String(s)) => s.split([',', ' ', '\n']).map(str::to_owned).collect(),
        _ => Vec::new(),
    };
    raw.into_iter()
        .map(|s| s.trim().to_uppercase())
        .filter(|s| !s.is_empty())
        .collect()
}
