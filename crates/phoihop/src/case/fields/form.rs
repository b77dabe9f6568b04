//! Declared fields in an HTML form: the inputs the one field template
//! (`templates/field_inputs.html`) draws for the new-case form and every action form,
//! with what was typed and what was wrong, and the way back from the posted pairs to
//! the JSON the engine reads (the same path as the API's).
//!
//! A table posts its cells as `topics.0.topic`, `topics.0.attitude`, …; the form shows
//! the rows typed and a few empty ones, so it works without JavaScript, and `app.js`
//! adds rows up to the declared maximum. Rows left empty are not sent on.

use std::collections::BTreeMap;

use serde_json::{Map, Value as Json};

use crate::error::FieldErrors;
use crate::i18n::Msg;

pub use super::options::Options;
use super::picklist::PickList;
use super::{FieldKind, FieldSpec, MAX_LINE, MAX_TEXT};
use std::sync::Arc;

/// Empty rows a table offers below those typed (fewer when it would pass its maximum).
const EMPTY_ROWS: usize = 3;

/// One input of a form, ready to draw.
pub struct Input {
    /// The element's id (unique in the page) and the name it posts under.
    pub id: String,
    pub name: String,
    pub label: Msg,
    pub required: bool,
    pub error: Option<Msg>,
    pub widget: Widget,
}

/// How a field is typed or chosen, with what it holds now (as typed).
pub enum Widget {
    Line {
        value: String,
        max: usize,
    },
    Text {
        value: String,
        max: usize,
    },
    /// Typed as dd/mm/yyyy.
    Date {
        value: String,
    },
    Number {
        value: String,
        min: i64,
        max: i64,
    },
    Phone {
        value: String,
    },
    Email {
        value: String,
    },
    /// Case numbers, several separated by commas when `many`.
    CaseNumbers {
        value: String,
        many: bool,
    },
    /// One of a list (a choice, a person, a locality, a field of work, an organisation).
    Select {
        options: Vec<Opt>,
    },
    /// One of a list of data (a person, a locality, a field of work, an organisation):
    /// its `<option>` elements, escaped, the chosen one marked (`picklist.rs`).
    Pick {
        options: Arc<str>,
    },
    /// Any of a list (organisations).
    Checkboxes {
        options: Vec<Opt>,
    },
    /// A table: column labels (and whether each is required), then its rows of inputs.
    Rows {
        columns: Vec<(Msg, bool)>,
        rows: Vec<Vec<Input>>,
        max_rows: usize,
    },
}

/// An entry of a list; `translate` when its label is interface text (a choice's label)
/// rather than data (a person's name).
pub struct Opt {
    pub value: String,
    pub label: String,
    pub translate: bool,
    pub selected: bool,
}

/// The inputs of `specs`, their ids starting with `id_prefix`, holding `values` (what
/// was posted, as [`from_pairs`] made it) and marked with `errors`.
pub fn inputs(
    specs: &[FieldSpec],
    id_prefix: &str,
    values: &Map<String, Json>,
    errors: &FieldErrors,
    options: &Options,
) -> Vec<Input> {
    specs
        .iter()
        .map(|spec| {
            let value = values.get(spec.name).unwrap_or(&Json::Null);
            input(
                spec,
                format!("{id_prefix}{}", spec.name),
                spec.name.to_owned(),
                value,
                errors,
                options,
            )
        })
        .collect()
}

fn input(
    spec: &FieldSpec,
    id: String,
    name: String,
    value: &Json,
    errors: &FieldErrors,
    options: &Options,
) -> Input {
    let text = || typed(value);
    let widget = match spec.kind {
        FieldKind::Line => Widget::Line {
            value: text(),
            max: MAX_LINE,
        },
        FieldKind::Text => Widget::Text {
            value: text(),
            max: MAX_TEXT,
        },
        FieldKind::Date(_) => Widget::Date { value: text() },
        FieldKind::Number { min, max } => Widget::Number {
            value: text(),
            min,
            max,
        },
        FieldKind::Phone => Widget::Phone { value: text() },
        FieldKind::Email => Widget::Email { value: text() },
        FieldKind::Case(_) => Widget::CaseNumbers {
            value: text(),
            many: false,
        },
        FieldKind::Cases(_) => Widget::CaseNumbers {
            value: text(),
            many: true,
        },
        FieldKind::Choice(list) => {
            let chosen = text();
            Widget::Select {
                options: list
                    .iter()
                    .map(|c| Opt {
                        value: c.code.into(),
                        label: c.label.into(),
                        translate: true,
                        selected: chosen == c.code,
                    })
                    .collect(),
            }
        }
        FieldKind::Organisation => select(&options.organisations, &text()),
        FieldKind::Person => select(&options.people, &text()),
        FieldKind::Locality => select(&options.localities, &text()),
        FieldKind::FieldOfWork => select(&options.fields, &text()),
        FieldKind::Organisations => {
            let chosen: Vec<i64> = match value {
                Json::Array(items) => items
                    .iter()
                    .filter_map(|v| typed(v).trim().parse().ok())
                    .collect(),
                other => typed(other).trim().parse().into_iter().collect(),
            };
            Widget::Checkboxes {
                options: options
                    .agencies
                    .items
                    .iter()
                    .map(|(id, label)| Opt {
                        value: id.to_string(),
                        label: label.clone(),
                        translate: false,
                        selected: chosen.contains(id),
                    })
                    .collect(),
            }
        }
        FieldKind::Rows { columns, max_rows } => {
            let typed_rows: Vec<&Map<String, Json>> = match value {
                Json::Array(rows) => rows
                    .iter()
                    .filter_map(Json::as_object)
                    .take(max_rows)
                    .collect(),
                _ => Vec::new(),
            };
            let empty = Map::new();
            let shown = (typed_rows.len() + EMPTY_ROWS)
                .min(max_rows)
                .max(typed_rows.len());
            let rows = (0..shown)
                .map(|i| {
                    let cells = typed_rows.get(i).copied().unwrap_or(&empty);
                    columns
                        .iter()
                        .map(|c| {
                            let value = cells.get(c.name).unwrap_or(&Json::Null);
                            let id = format!("{id}-{i}-{}", c.name);
                            let name = format!("{}.{i}.{}", spec.name, c.name);
                            // A blank row is left out, so no cell is required in the
                            // browser: the header's mark and the server's check say
                            // what a kept row needs.
                            Input {
                                required: false,
                                ..input(c, id, name, value, errors, options)
                            }
                        })
                        .collect()
                })
                .collect();
            Widget::Rows {
                columns: columns.iter().map(|c| (c.label, c.required)).collect(),
                rows,
                max_rows,
            }
        }
    };
    Input {
        error: errors.get(&name),
        id,
        name,
        label: spec.label,
        required: spec.required,
        widget,
    }
}

/// The errors of `errors` that no input of `inputs` shows (whatever was wrong with the
/// request as a whole), for the top of the form.
pub fn unplaced(errors: &FieldErrors, inputs: &[Input]) -> Vec<Msg> {
    let mut names: Vec<&str> = Vec::new();
    for input in inputs {
        names.push(&input.name);
        if let Widget::Rows { rows, .. } = &input.widget {
            names.extend(rows.iter().flatten().map(|cell| cell.name.as_str()));
        }
    }
    errors
        .0
        .iter()
        .filter(|(key, _)| !names.contains(key) && !is_cell_of_shown_table(key, inputs))
        .map(|(_, msg)| *msg)
        .collect()
}

/// A cell key (`topics.7.topic`) of a table the form shows, whether or not that row is
/// among those drawn.
fn is_cell_of_shown_table(key: &str, inputs: &[Input]) -> bool {
    inputs.iter().any(|i| {
        matches!(i.widget, Widget::Rows { .. })
            && key
                .strip_prefix(i.name.as_str())
                .is_some_and(|rest| rest.starts_with('.'))
    })
}

fn select(list: &PickList, chosen: &str) -> Widget {
    Widget::Pick {
        options: list.options(chosen.trim().parse().ok()),
    }
}

/// A posted value as the person typed it.
fn typed(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        Json::Number(n) => n.to_string(),
        Json::Array(items) => items.iter().map(typed).collect::<Vec<_>>().join(", "),
        _ => String::new(),
    }
}

/// The values of `specs` among a form's posted pairs, as the JSON the engine reads:
/// each value as typed (text), several for organisations, and a table's cells gathered
/// into rows (empty rows left out; more than the table takes are kept only up to one
/// past its maximum, enough for the engine to refuse them).
pub fn from_pairs(specs: &[FieldSpec], pairs: &[(String, String)]) -> Map<String, Json> {
    let mut out = Map::new();
    for spec in specs {
        let values = pairs.iter().filter(|(k, _)| k == spec.name).map(|(_, v)| v);
        match spec.kind {
            FieldKind::Organisations => {
                let chosen: Vec<Json> = values
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| Json::String(v.clone()))
                    .collect();
                if !chosen.is_empty() {
                    out.insert(spec.name.into(), Json::Array(chosen));
                }
            }
            FieldKind::Rows { max_rows, .. } => {
                let rows = table_rows(spec.name, pairs, max_rows + 1);
                if !rows.is_empty() {
                    out.insert(spec.name.into(), Json::Array(rows));
                }
            }
            _ => {
                if let Some(v) = values.into_iter().next().filter(|v| !v.trim().is_empty()) {
                    out.insert(spec.name.into(), Json::String(v.clone()));
                }
            }
        }
    }
    out
}

/// The rows of table `name` posted as `name.<row>.<column>`, in row order, the empty
/// ones left out, at most `keep`.
fn table_rows(name: &str, pairs: &[(String, String)], keep: usize) -> Vec<Json> {
    let mut rows: BTreeMap<u32, Map<String, Json>> = BTreeMap::new();
    for (key, value) in pairs {
        let Some((row, column)) = key
            .strip_prefix(name)
            .and_then(|k| k.strip_prefix('.'))
            .and_then(|k| k.split_once('.'))
        else {
            continue;
        };
        let (Ok(row), false) = (row.parse::<u32>(), value.trim().is_empty()) else {
            continue;
        };
        rows.entry(row)
            .or_default()
            .insert(column.to_owned(), Json::String(value.clone()));
    }
    rows.into_values().take(keep).map(Json::Object).collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::case::kinds::sample::field;

    fn specs() -> [FieldSpec; 3] {
        [field("topics"), field("addressees"), field("occurred_on")]
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    #[test]
    fn posted_cells_become_rows_and_empty_rows_are_left_out() {
        let posted = pairs(&[
            ("topics.0.topic", "Giá điện"),
            ("topics.0.attitude", "concerned"),
            ("topics.1.topic", ""),
            ("topics.1.attitude", ""),
            ("topics.2.topic", "Đất đai"),
            ("addressees", "3"),
            ("addressees", "5"),
            ("occurred_on", "01/03/2026"),
            ("note", "not one of these fields"),
        ]);
        assert_eq!(
            Json::Object(from_pairs(&specs(), &posted)),
            json!({
                "topics": [{"topic": "Giá điện", "attitude": "concerned"}, {"topic": "Đất đai"}],
                "addressees": ["3", "5"],
                "occurred_on": "01/03/2026"
            })
        );
    }

    #[test]
    fn ten_thousand_posted_rows_are_kept_only_to_one_past_the_maximum() {
        let many: Vec<(String, String)> = (0..10_000)
            .map(|i| (format!("topics.{i}.topic"), format!("Chủ đề {i}")))
            .collect();
        let rows = from_pairs(&specs(), &many);
        assert_eq!(rows["topics"].as_array().map(Vec::len), Some(21));
    }

    #[test]
    fn a_table_shows_what_was_typed_a_few_empty_rows_and_the_wrong_cell() {
        let values = from_pairs(&specs(), &pairs(&[("topics.0.attitude", "concerned")]));
        let mut errors = FieldErrors::new();
        errors.add("topics.0.topic", "Không được để trống.");
        let inputs = inputs(&specs(), "act-", &values, &errors, &Options::default());
        let Widget::Rows { rows, .. } = &inputs[0].widget else {
            panic!("a table");
        };
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0][0].name, "topics.0.topic");
        assert_eq!(rows[0][0].id, "act-topics-0-topic");
        assert_eq!(rows[0][0].error, Some("Không được để trống."));
        let attitude = &rows[0][3];
        assert_eq!(attitude.name, "topics.0.attitude");
        let Widget::Select { options } = &attitude.widget else {
            panic!("a choice");
        };
        assert!(options.iter().any(|o| o.value == "concerned" && o.selected));
        assert_eq!(rows[3][0].name, "topics.3.topic");
        assert!(
            rows.iter().flatten().all(|cell| !cell.required),
            "a blank row does not stop the form in the browser"
        );
        assert!(
            unplaced(&errors, &inputs).is_empty(),
            "the cell shows its error"
        );
    }
}
