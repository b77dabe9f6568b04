//! Typed fields (trường dữ liệu): what a kind declares an action takes — text, dates,
//! whole numbers, choices from a code list, organisations, people, localities, fields of
//! work, case references, phone numbers, e-mail addresses and tables of repeated rows —
//! and everything done with them that does not depend on the kind: reading and checking
//! what was sent (`read.rs`, with the plain values in `value.rs`), the API's strict
//! reading and the JSON Schema the OpenAPI document shows (`api.rs`), the inputs of a
//! form (`form.rs`, their pickers' lists in `options.rs`) and the value shown on the case page and in the API (`show.rs`).
//!
//! A declaration names a field's type here and nothing else; no code outside a kind's
//! module needs to know which kind uses which field.

pub mod api;
pub mod form;
mod options;
pub mod picklist;
mod read;
pub mod show;
mod value;

use std::collections::HashMap;
use std::sync::Mutex;

use crate::i18n::Msg;

pub(super) use read::{id_list, read_fields};

/// A piece of input an action takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// Name in forms and in the API's JSON: lower case letters, digits and `_`.
    pub name: &'static str,
    pub label: Msg,
    pub kind: FieldKind,
    /// Must be given (for a table: at least one row; for a column: in every row).
    pub required: bool,
}

/// The type of a field, with what its values must satisfy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// One line of text, at most [`MAX_LINE`] characters.
    Line,
    /// Paragraphs of text, at most [`MAX_TEXT`] characters.
    Text,
    /// A day between 1900 and 2199 (the working-day calendar's span), within `DateRange`.
    Date(DateRange),
    /// A whole number from `min` to `max`.
    Number { min: i64, max: i64 },
    /// One code of a list the kind declares, shown by its label.
    Choice(&'static [Choice]),
    /// An organisation that exists and is current (not merged or dissolved).
    Organisation,
    /// Several such organisations (at most [`MAX_REFERENCES`]).
    Organisations,
    /// A person with an account that is active.
    Person,
    /// A locality in force (địa bàn).
    Locality,
    /// A field of work that is active (lĩnh vực).
    FieldOfWork,
    /// The number of a case of the kind named that the person can see.
    Case(&'static str),
    /// Several such numbers (at most [`MAX_REFERENCES`]).
    Cases(&'static str),
    /// A Vietnamese phone number, kept as 0 and 9–10 digits.
    Phone,
    /// An e-mail address.
    Email,
    /// A table inside the form: rows of `columns` (which are not tables themselves), at
    /// most `max_rows` of them.
    Rows {
        columns: &'static [FieldSpec],
        max_rows: usize,
    },
}

/// One entry of a code list: the stable code stored and sent, and its label (with its
/// English in `i18n/en.rs`, as every label).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choice {
    pub code: &'static str,
    pub label: Msg,
}

/// Which days a date field accepts, today being Vietnam's (or the day the demo replays).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRange {
    Any,
    /// Today or before: when something happened.
    UpToToday,
    /// Today or later: a date still to come.
    FromToday,
}

pub use super::engine::{MAX_LINE, MAX_TEXT};

/// Most organisations or cases one field names.
pub const MAX_REFERENCES: usize = 500;
/// Most rows a table may declare: a form of them stays a page, not a spreadsheet.
pub const MAX_ROWS: usize = 200;
/// Days a date field accepts at all: the working-day calendar's span.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2199;

impl FieldKind {
    /// The stable name of the type, as the API's description of an action shows it.
    pub fn code(&self) -> &'static str {
        match self {
            FieldKind::Line => "line",
            FieldKind::Text => "text",
            FieldKind::Date(_) => "date",
            FieldKind::Number { .. } => "number",
            FieldKind::Choice(_) => "choice",
            FieldKind::Organisation => "organisation",
            FieldKind::Organisations => "organisations",
            FieldKind::Person => "person",
            FieldKind::Locality => "locality",
            FieldKind::FieldOfWork => "field_of_work",
            FieldKind::Case(_) => "case",
            FieldKind::Cases(_) => "cases",
            FieldKind::Phone => "phone",
            FieldKind::Email => "email",
            FieldKind::Rows { .. } => "rows",
        }
    }
}

impl FieldSpec {
    /// The label of `code` when this field is a choice that lists it.
    pub fn choice_label(&self, code: &str) -> Option<Msg> {
        match self.kind {
            FieldKind::Choice(list) => list.iter().find(|c| c.code == code).map(|c| c.label),
            _ => None,
        }
    }

    /// Every label a person may see of this field: its own, its choices', its columns'.
    pub fn labels(&self) -> Vec<Msg> {
        let mut out = vec![self.label];
        match self.kind {
            FieldKind::Choice(list) => out.extend(list.iter().map(|c| c.label)),
            FieldKind::Rows { columns, .. } => columns.iter().for_each(|c| out.extend(c.labels())),
            _ => {}
        }
        out
    }
}

/// Checks the fields of one action as declared: names that forms and JSON can carry,
/// none twice nor one of `reserved` (the properties every request has), choice lists
/// with unique codes, number ranges in order, tables one level deep and of a bounded
/// size. Run by the test of every declaration.
pub fn check_declared(fields: &[FieldSpec], reserved: &[&str]) -> Result<(), String> {
    let mut seen = Vec::new();
    for f in fields {
        let name_ok = f.name.starts_with(|c: char| c.is_ascii_lowercase())
            && f.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !name_ok {
            return Err(format!("field {:?}: a name of a-z, 0-9 and _", f.name));
        }
        if seen.contains(&f.name) || reserved.contains(&f.name) {
            return Err(format!("field {}: named twice or reserved", f.name));
        }
        seen.push(f.name);
        match f.kind {
            FieldKind::Number { min, max } if min > max => {
                return Err(format!("field {}: min above max", f.name));
            }
            FieldKind::Choice(list) => {
                if list.is_empty() {
                    return Err(format!("field {}: an empty choice list", f.name));
                }
                for (i, c) in list.iter().enumerate() {
                    let code_ok = !c.code.is_empty()
                        && c.code
                            .chars()
                            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_');
                    if !code_ok || list[..i].iter().any(|d| d.code == c.code) {
                        return Err(format!("field {}: choice code {:?}", f.name, c.code));
                    }
                }
            }
            FieldKind::Rows { columns, max_rows } => {
                if columns.is_empty() || !(1..=MAX_ROWS).contains(&max_rows) {
                    return Err(format!(
                        "field {}: a table needs columns and 1–{MAX_ROWS} rows",
                        f.name
                    ));
                }
                if columns
                    .iter()
                    .any(|c| matches!(c.kind, FieldKind::Rows { .. }))
                {
                    return Err(format!("field {}: a table inside a table", f.name));
                }
                check_declared(columns, &[]).map_err(|e| format!("field {}: {e}", f.name))?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// The error key of one cell of a table: `rows.2.topic` (rows counted from 0, as in
/// the JSON array), so that the API names the cell and the form marks it.
///
/// Field errors carry `&'static str` keys; a cell's key is made the first time that
/// cell is wrong and kept. Only cells of declared rows get one (a table refuses more
/// rows than it declares before looking at any cell), so what is kept is bounded by the
/// declarations: at most [`MAX_ROWS`] × their columns for each table.
pub fn cell_key(field: &'static str, row: usize, column: &'static str) -> &'static str {
    /// (table, row, column) → key.
    type Keys = HashMap<(&'static str, usize, &'static str), &'static str>;
    static KEYS: Mutex<Option<Keys>> = Mutex::new(None);
    let mut keys = KEYS.lock().unwrap_or_else(|p| p.into_inner());
    keys.get_or_insert_with(HashMap::new)
        .entry((field, row, column))
        .or_insert_with(|| Box::leak(format!("{field}.{row}.{column}").into_boxed_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const COLUMNS: &[FieldSpec] = &[FieldSpec {
        name: "topic",
        label: "Chủ đề",
        kind: FieldKind::Line,
        required: true,
    }];

    #[test]
    fn a_declaration_with_a_table_in_a_table_or_a_bad_name_is_refused() {
        let nested = [FieldSpec {
            name: "outer",
            label: "Bảng",
            kind: FieldKind::Rows {
                columns: &[FieldSpec {
                    name: "inner",
                    label: "Bảng",
                    kind: FieldKind::Rows {
                        columns: COLUMNS,
                        max_rows: 2,
                    },
                    required: false,
                }],
                max_rows: 2,
            },
            required: false,
        }];
        assert!(check_declared(&nested, &[]).is_err());
        let spaced = [FieldSpec {
            name: "two words",
            label: "Chủ đề",
            kind: FieldKind::Line,
            required: false,
        }];
        assert!(check_declared(&spaced, &[]).is_err());
        let reserved = [FieldSpec {
            name: "version",
            label: "Chủ đề",
            kind: FieldKind::Line,
            required: false,
        }];
        assert!(check_declared(&reserved, &["version"]).is_err());
        let table = [FieldSpec {
            name: "topics",
            label: "Chủ đề",
            kind: FieldKind::Rows {
                columns: COLUMNS,
                max_rows: 5,
            },
            required: false,
        }];
        assert_eq!(check_declared(&table, &["version"]), Ok(()));
    }

    #[test]
    fn a_choice_list_with_a_code_twice_is_refused() {
        let twice = [FieldSpec {
            name: "level",
            label: "Cấp",
            kind: FieldKind::Choice(&[
                Choice {
                    code: "commune",
                    label: "Cấp xã",
                },
                Choice {
                    code: "commune",
                    label: "Cấp tỉnh",
                },
            ]),
            required: false,
        }];
        assert!(check_declared(&twice, &[]).is_err());
    }

    #[test]
    fn a_cell_key_names_the_row_and_column_and_is_made_once() {
        let a = cell_key("topics", 2, "topic");
        assert_eq!(a, "topics.2.topic");
        assert!(std::ptr::eq(a, cell_key("topics", 2, "topic")));
    }
}
