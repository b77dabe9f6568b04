//! The columns a kind adds to its case list (`Workflow::columns`): fields of its opening
//! (a complaint's type, level and day received; a report's period), shown when the list
//! is of that kind alone. The fifty lines come from the list's index; their kept values
//! are read in one statement more, by the ids of those lines, and shown as the case page
//! shows them (`fields::show`).

use std::collections::HashMap;

use serde_json::{Map, Value as Json};

use crate::db::Conn;
use crate::i18n::Msg;
use crate::org::tree::OrgTree;

use super::CaseError;
use super::fields::show::{self, Names, Shown};
use super::workflow::{FieldSpec, Workflow};

/// A kind's columns for some lines: their labels, and each line's cells by case id.
#[derive(Default)]
pub struct Columns {
    pub labels: Vec<Msg>,
    pub cells: HashMap<i64, Vec<Shown>>,
}

/// The declared columns of `workflow` for the cases `ids` (lines of a list).
pub fn read(
    conn: &mut dyn Conn,
    workflow: &Workflow,
    ids: &[i64],
    tree: &OrgTree,
) -> Result<Columns, CaseError> {
    if workflow.columns.is_empty() || ids.is_empty() {
        return Ok(Columns::default());
    }
    // Integers from the list just read, never text someone typed.
    let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
    let kept: Vec<(i64, Map<String, Json>)> = conn
        .query(
            &format!("SELECT id, data FROM cases WHERE id IN ({list})"),
            &[],
        )?
        .iter()
        .map(|r| {
            let data: String = r.get(1)?;
            Ok((r.get(0)?, serde_json::from_str(&data).unwrap_or_default()))
        })
        .collect::<Result<_, CaseError>>()?;
    let kept: Vec<(i64, &Map<String, Json>)> = kept.iter().map(|(id, d)| (*id, d)).collect();
    shown(conn, workflow, &kept, |id| tree.name(id).map(str::to_owned))
}

/// The declared columns of `workflow` for cases whose kept values are at hand
/// (`(id, data)`), organisations named by `organisation`.
pub fn shown(
    conn: &mut dyn Conn,
    workflow: &Workflow,
    kept: &[(i64, &Map<String, Json>)],
    organisation: impl Fn(i64) -> Option<String>,
) -> Result<Columns, CaseError> {
    let specs: Vec<&'static FieldSpec> = workflow
        .columns
        .iter()
        .filter_map(|name| workflow.field(name))
        .collect();
    if specs.is_empty() {
        return Ok(Columns::default());
    }
    let values = kept
        .iter()
        .flat_map(|(_, data)| specs.iter().filter_map(|s| Some((*s, data.get(s.name)?))));
    let names = Names::load(conn, organisation, values)?;
    let cells = kept
        .iter()
        .map(|(id, data)| {
            let row = specs
                .iter()
                .map(|s| match data.get(s.name) {
                    Some(v) => show::shown(s, v, &names),
                    None => Shown::Text(String::new()),
                })
                .collect();
            (*id, row)
        })
        .collect();
    Ok(Columns {
        labels: specs.iter().map(|s| s.label).collect(),
        cells,
    })
}

/// A cell as plain text in Vietnamese (a workbook's cell).
pub fn plain(cell: &Shown) -> String {
    match cell {
        Shown::Text(text) => text.clone(),
        Shown::Label(label) => (*label).to_owned(),
        Shown::Cases(numbers) => numbers.join(", "),
        Shown::Table { .. } => String::new(),
    }
}
