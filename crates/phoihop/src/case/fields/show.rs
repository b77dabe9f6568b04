//! Kept values shown to people and programs: on the case page readably (names for ids,
//! dd/mm/yyyy dates, a choice's label, a table for rows) and in the API as typed JSON,
//! with `{"id", "name"}` wherever a value names a row, as the API shows owners. The
//! names are read once for a page or an answer ([`Names`]).

use std::collections::HashMap;

use serde_json::{Map, Value as Json, json};

use crate::clock;
use crate::db::{Conn, DbError};
use crate::i18n::Msg;

use crate::case::model::Event;
use crate::case::workflow::Workflow;

use super::{FieldKind, FieldSpec};

/// A value as the case page shows it.
pub enum Shown {
    Text(String),
    /// Interface text (a choice's label), shown in the person's language.
    Label(Msg),
    /// Case numbers, each a link.
    Cases(Vec<String>),
    /// A table: column labels and rows of cells (never tables themselves).
    Table {
        columns: Vec<Msg>,
        rows: Vec<Vec<Shown>>,
    },
}

/// A field with its value, as the case page lists it.
pub struct ShownField {
    pub label: Msg,
    pub value: Shown,
}

/// The names of the rows some kept values name.
#[derive(Default)]
pub struct Names {
    organisations: HashMap<i64, String>,
    people: HashMap<i64, String>,
    localities: HashMap<i64, String>,
    fields: HashMap<i64, String>,
}

/// The ids kept values name, by what they name.
#[derive(Default)]
struct Wanted {
    organisations: Vec<i64>,
    people: Vec<i64>,
    localities: Vec<i64>,
    fields: Vec<i64>,
}

impl Wanted {
    fn add(&mut self, spec: &FieldSpec, value: &Json) {
        let list = match spec.kind {
            FieldKind::Organisation | FieldKind::Organisations => &mut self.organisations,
            FieldKind::Person => &mut self.people,
            FieldKind::Locality => &mut self.localities,
            FieldKind::FieldOfWork => &mut self.fields,
            FieldKind::Rows { columns, .. } => {
                for row in value.as_array().into_iter().flatten() {
                    for column in columns {
                        if let Some(cell) = row.get(column.name) {
                            self.add(column, cell);
                        }
                    }
                }
                return;
            }
            _ => return,
        };
        match value {
            Json::Array(items) => list.extend(items.iter().filter_map(Json::as_i64)),
            other => list.extend(other.as_i64()),
        }
    }
}

impl Names {
    /// Reads the names of every row `values` (kept values with their fields) name;
    /// organisations' from `organisation`, which the caller holds in memory.
    pub fn load<'a>(
        conn: &mut dyn Conn,
        organisation: impl Fn(i64) -> Option<String>,
        values: impl IntoIterator<Item = (&'a FieldSpec, &'a Json)>,
    ) -> Result<Names, DbError> {
        let mut wanted = Wanted::default();
        for (spec, value) in values {
            wanted.add(spec, value);
        }
        let mut names = Names::default();
        for id in wanted.organisations {
            if let Some(name) = organisation(id) {
                names.organisations.insert(id, name);
            }
        }
        names.people = read_names(conn, "SELECT id, display_name FROM users", &wanted.people)?;
        names.localities = read_names(conn, "SELECT id, name FROM localities", &wanted.localities)?;
        names.fields = read_names(conn, "SELECT id, name FROM fields", &wanted.fields)?;
        Ok(names)
    }

    fn of(&self, kind: FieldKind, id: i64) -> Option<&str> {
        let map = match kind {
            FieldKind::Organisation | FieldKind::Organisations => &self.organisations,
            FieldKind::Person => &self.people,
            FieldKind::Locality => &self.localities,
            FieldKind::FieldOfWork => &self.fields,
            _ => return None,
        };
        map.get(&id).map(String::as_str)
    }
}

/// `select` (`SELECT id, name FROM …`) for `ids`.
fn read_names(
    conn: &mut dyn Conn,
    select: &str,
    ids: &[i64],
) -> Result<HashMap<i64, String>, DbError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    // Integers read from kept values, never text someone typed.
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    conn.query(&format!("{select} WHERE id IN ({list})"), &[])?
        .iter()
        .map(|r| Ok((r.get(0)?, r.get(1)?)))
        .collect()
}

/// `value`, kept for `spec`, as the case page shows it.
pub fn shown(spec: &FieldSpec, value: &Json, names: &Names) -> Shown {
    let name = |id: Option<i64>| match id {
        Some(id) => names
            .of(spec.kind, id)
            .map_or_else(|| format!("#{id}"), str::to_owned),
        None => plain(value),
    };
    match spec.kind {
        FieldKind::Date(_) => Shown::Text(clock::show_iso_date(value.as_str().unwrap_or(""))),
        FieldKind::Number { .. } => {
            Shown::Text(value.as_i64().map_or_else(|| plain(value), grouped))
        }
        FieldKind::Choice(_) => match value.as_str().and_then(|c| spec.choice_label(c)) {
            Some(label) => Shown::Label(label),
            None => Shown::Text(plain(value)),
        },
        FieldKind::Organisation
        | FieldKind::Person
        | FieldKind::Locality
        | FieldKind::FieldOfWork => Shown::Text(name(value.as_i64())),
        FieldKind::Organisations => Shown::Text(
            value
                .as_array()
                .map(|ids| {
                    ids.iter()
                        .map(|id| name(id.as_i64()))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_else(|| plain(value)),
        ),
        FieldKind::Case(_) | FieldKind::Cases(_) => Shown::Cases(match value {
            Json::Array(items) => items
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect(),
            other => other.as_str().map(str::to_owned).into_iter().collect(),
        }),
        FieldKind::Rows { columns, .. } => Shown::Table {
            columns: columns.iter().map(|c| c.label).collect(),
            rows: value
                .as_array()
                .into_iter()
                .flatten()
                .map(|row| {
                    columns
                        .iter()
                        .map(|c| match row.get(c.name) {
                            Some(cell) => shown(c, cell, names),
                            None => Shown::Text(String::new()),
                        })
                        .collect()
                })
                .collect(),
        },
        FieldKind::Line | FieldKind::Text | FieldKind::Phone | FieldKind::Email => {
            Shown::Text(plain(value))
        }
    }
}

/// `value`, kept for `spec`, as the API shows it: as kept, with `{"id", "name"}` for
/// every id.
pub fn api_value(spec: &FieldSpec, value: &Json, names: &Names) -> Json {
    let named = |id: &Json| match id.as_i64() {
        Some(n) => json!({"id": n, "name": names.of(spec.kind, n)}),
        None => id.clone(),
    };
    match spec.kind {
        FieldKind::Organisation
        | FieldKind::Person
        | FieldKind::Locality
        | FieldKind::FieldOfWork => named(value),
        FieldKind::Organisations => match value {
            Json::Array(ids) => Json::Array(ids.iter().map(named).collect()),
            other => other.clone(),
        },
        FieldKind::Rows { columns, .. } => match value {
            Json::Array(rows) => Json::Array(
                rows.iter()
                    .map(|row| {
                        let mut out = Map::new();
                        for c in columns {
                            if let Some(cell) = row.get(c.name) {
                                out.insert(c.name.into(), api_value(c, cell, names));
                            }
                        }
                        Json::Object(out)
                    })
                    .collect(),
            ),
            other => other.clone(),
        },
        _ => value.clone(),
    }
}

/// The spec of a value an event (of `action`) or the case (`action` `None`) keeps:
/// the action's own field, else the kind's first of that name.
pub fn spec_of(
    workflow: &Workflow,
    action: Option<&str>,
    name: &str,
) -> Option<&'static FieldSpec> {
    let own = action
        .and_then(|a| workflow.any_transition(a))
        .and_then(|t| t.fields.iter().find(|f| f.name == name));
    own.or_else(|| workflow.field(name))
}

/// A case's kept values and its timeline as the API shows them (ids with their names).
pub fn for_api(
    conn: &mut dyn Conn,
    workflow: &Workflow,
    data: &Map<String, Json>,
    timeline: Vec<Event>,
    organisation: impl Fn(i64) -> Option<String>,
) -> Result<(Json, Vec<Json>), DbError> {
    let kept = data
        .iter()
        .filter_map(|(k, v)| Some((spec_of(workflow, None, k)?, v)));
    let sent = timeline.iter().flat_map(|e| {
        e.data
            .iter()
            .filter_map(|(k, v)| Some((spec_of(workflow, Some(&e.action), k)?, v)))
    });
    let names = Names::load(conn, organisation, kept.chain(sent))?;
    let typed = |action: Option<&str>, values: &Map<String, Json>| -> Json {
        values
            .iter()
            .map(|(k, v)| {
                let shown = match spec_of(workflow, action, k) {
                    Some(spec) => api_value(spec, v, &names),
                    None => v.clone(),
                };
                (k.clone(), shown)
            })
            .collect::<Map<_, _>>()
            .into()
    };
    let events = timeline
        .into_iter()
        .map(|e| {
            let data = typed(Some(&e.action), &e.data);
            let mut event = serde_json::to_value(&e).unwrap_or(Json::Null);
            if let Some(o) = event.as_object_mut() {
                o.insert("data".into(), data);
            }
            event
        })
        .collect();
    Ok((typed(None, data), events))
}

fn plain(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        Json::Null => String::new(),
        other => other.to_string(),
    }
}

/// `1500000` as Vietnamese writes it: `1.500.000`.
fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::case::kinds::sample::field;

    #[test]
    fn numbers_dates_and_choices_read_as_people_write_them() {
        assert_eq!(grouped(1_500_000), "1.500.000");
        assert_eq!(grouped(-1500), "-1.500");
        assert_eq!(grouped(15), "15");
        let none = Names::default();
        let day = shown(&field("occurred_on"), &json!("2026-03-01"), &none);
        assert!(matches!(day, Shown::Text(t) if t == "01/03/2026"));
        let level = shown(&field("level"), &json!("province"), &none);
        assert!(matches!(level, Shown::Label("Cấp tỉnh")));
        let count = shown(&field("people_affected"), &json!(1500), &none);
        assert!(matches!(count, Shown::Text(t) if t == "1.500"));
    }

    #[test]
    fn ids_are_shown_with_their_names_and_tables_as_tables() {
        let officer = field("officer");
        let mut names = Names::default();
        names.people.insert(7, "Nguyễn Văn An".into());
        names.localities.insert(3, "Xã Ia Chim".into());
        assert_eq!(
            api_value(&officer, &json!(7), &names),
            json!({"id": 7, "name": "Nguyễn Văn An"})
        );
        assert!(
            matches!(shown(&officer, &json!(7), &names), Shown::Text(t) if t == "Nguyễn Văn An")
        );
        assert!(matches!(shown(&officer, &json!(8), &names), Shown::Text(t) if t == "#8"));
        let topics = json!([{"topic": "Đất đai", "place": 3, "attitude": "mixed"}]);
        assert_eq!(
            api_value(&field("topics"), &topics, &names),
            json!([{"topic": "Đất đai", "place": {"id": 3, "name": "Xã Ia Chim"}, "attitude": "mixed"}])
        );
        let Shown::Table { columns, rows } = shown(&field("topics"), &topics, &names) else {
            panic!("a table");
        };
        assert_eq!(columns.len(), 6);
        assert!(matches!(&rows[0][2], Shown::Text(t) if t == "Xã Ia Chim"));
        assert!(matches!(&rows[0][3], Shown::Label("Trái chiều")));
    }
}
