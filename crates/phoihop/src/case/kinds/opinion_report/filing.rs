//! The opinion report's hooks: what the engine calls beyond its tables.
//!
//! - [`opened`]: the period is one that has begun, and the collaborator has not filed
//!   for it already (`opinion_reports`, unique per reporter and period); each topic's
//!   locality and field is one the collaborator covers (a locality below one they
//!   cover counts: a province's collaborator reports on its communes).
//! - [`acted`]: a report filed again is held to the same coverage.
//! - [`facts`]: the period as people read it, and who filed it.

use std::collections::HashMap;

use serde_json::{Map, Value as Json, json};

use super::period::Period;
use crate::case::CaseError;
use crate::case::clocks::start_on;
use crate::case::fields::cell_key;
use crate::case::hooks::{Acted, Fact, Opened};
use crate::case::model::{Case, CaseActor};
use crate::case::workflow::Party;
use crate::db::{Conn, DbError};
use crate::error::FieldErrors;
use crate::i18n::{Lang, Msg};
use crate::org::collaborators;
use crate::params;

const BAD_PERIOD: Msg = "Ghi kỳ báo cáo dạng 2026-11 (tháng) hoặc 2026-Q4 (quý).";
const FUTURE_PERIOD: Msg = "Kỳ báo cáo này chưa bắt đầu.";
const ALREADY: Msg = "Kỳ này đã có báo cáo của bạn (đã gửi, hoặc đang chờ bạn gửi theo lịch): mở báo cáo đó trong danh sách hồ sơ để gửi hoặc ghi thêm ý kiến.";
const NOT_THEIR_LOCALITY: Msg = "Địa bàn này không thuộc phạm vi bạn phụ trách.";
const NOT_THEIR_FIELD: Msg = "Lĩnh vực này không thuộc phạm vi bạn phụ trách.";
const PERIOD: Msg = "Kỳ báo cáo";
const REPORTER: Msg = "Cộng tác viên báo cáo";

/// Every label the hooks show.
pub(super) const LABELS: &[Msg] = &[
    BAD_PERIOD,
    FUTURE_PERIOD,
    ALREADY,
    NOT_THEIR_LOCALITY,
    NOT_THEIR_FIELD,
    PERIOD,
    REPORTER,
    super::expected::SYSTEM,
    super::expected::REMINDER,
];

pub(super) fn opened(conn: &mut dyn Conn, o: &Opened<'_>) -> Result<(), CaseError> {
    if o.action == "expect" {
        return expected(conn, o);
    }
    let mut errors = FieldErrors::new();
    let typed = o.fields.get("period").and_then(Json::as_str).unwrap_or("");
    let period = Period::parse(typed.trim());
    match period {
        None => errors.add("period", BAD_PERIOD),
        Some(p) if p.first_day() > o.at.today => errors.add("period", FUTURE_PERIOD),
        Some(_) => {}
    }
    covered(conn, o.actor.user_id, o.fields, &mut errors)?;
    let Some(period) = period.filter(|_| errors.is_empty()) else {
        return Err(CaseError::Invalid(errors));
    };
    index(conn, o, period, None, None)
}

/// A report its schedule expects, opened by the daily job: indexed with its due and
/// reminder days, and its clock running to the due day.
fn expected(conn: &mut dyn Conn, o: &Opened<'_>) -> Result<(), CaseError> {
    let date = |name: &str| {
        o.fields
            .get(name)
            .and_then(Json::as_str)
            .and_then(crate::clock::parse_iso_date)
    };
    let typed = o.fields.get("period").and_then(Json::as_str).unwrap_or("");
    let (Some(period), Some(due)) = (Period::parse(typed), date("due_on")) else {
        return Err(CaseError::Invalid(FieldErrors(vec![(
            "period", BAD_PERIOD,
        )])));
    };
    index(conn, o, period, Some(due), date("remind_on"))?;
    let spec = o.workflow.clock("file").ok_or(CaseError::NotFound)?;
    start_on(conn, spec, o.case, o.at, due)
}

/// Keeps the report in `opinion_reports`: one per collaborator and period.
fn index(
    conn: &mut dyn Conn,
    o: &Opened<'_>,
    period: Period,
    due: Option<time::Date>,
    remind: Option<time::Date>,
) -> Result<(), CaseError> {
    let inserted = conn.execute(
        "INSERT INTO opinion_reports (case_id, reporter_id, org_id, period, due_on, remind_on)
         VALUES ($1, $2, $3, $4, $5, $6)",
        params![
            o.case.id,
            o.actor.user_id,
            o.case.owner_org_id,
            period.code(),
            due.map(crate::clock::iso_date),
            remind.map(crate::clock::iso_date)
        ],
    );
    match inserted {
        Err(DbError::Unique { .. }) => {
            Err(CaseError::Invalid(FieldErrors(vec![("period", ALREADY)])))
        }
        other => other.map(|_| ()).map_err(CaseError::from),
    }
}

pub(super) fn acted(conn: &mut dyn Conn, a: &Acted<'_>) -> Result<(), CaseError> {
    if !matches!(a.action, "resubmit" | "submit") {
        return Ok(());
    }
    let reporter = a.case.created_by.unwrap_or(a.actor.user_id);
    let mut errors = FieldErrors::new();
    covered(conn, reporter, a.fields, &mut errors)?;
    match errors.is_empty() {
        true => Ok(()),
        false => Err(CaseError::Invalid(errors)),
    }
}

/// Adds an error at each topic whose locality or field the collaborator `user_id`
/// does not cover.
fn covered(
    conn: &mut dyn Conn,
    user_id: i64,
    fields: &Map<String, Json>,
    errors: &mut FieldErrors,
) -> Result<(), CaseError> {
    let rows = fields
        .get("topics")
        .and_then(Json::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let cover = collaborators::current(conn, user_id)?;
    let parents: HashMap<i64, Option<i64>> = conn
        .query("SELECT id, parent_id FROM localities", &[])?
        .iter()
        .map(|r| Ok((r.get(0)?, r.get(1)?)))
        .collect::<Result<_, DbError>>()?;
    let theirs = |mut locality: i64| {
        // Up the tree to the province; a few steps, and never a loop of more than it has.
        for _ in 0..=parents.len() {
            if cover.localities.iter().any(|l| l.id == locality) {
                return true;
            }
            match parents.get(&locality).copied().flatten() {
                Some(parent) => locality = parent,
                None => return false,
            }
        }
        false
    };
    for (i, row) in rows.iter().enumerate() {
        if let Some(locality) = row.get("locality").and_then(Json::as_i64)
            && !cover.localities.is_empty()
            && !theirs(locality)
        {
            errors.add(cell_key("topics", i, "locality"), NOT_THEIR_LOCALITY);
        }
        if let Some(field) = row.get("field").and_then(Json::as_i64)
            && !cover.fields.is_empty()
            && !cover.fields.iter().any(|f| f.id == field)
        {
            errors.add(cell_key("topics", i, "field"), NOT_THEIR_FIELD);
        }
    }
    Ok(())
}

pub(super) fn facts(
    conn: &mut dyn Conn,
    _actor: &CaseActor,
    case: &Case,
    _parties: &[Party],
) -> Result<Vec<Fact>, CaseError> {
    let row = conn.query_opt(
        "SELECT r.period, u.id, u.display_name FROM opinion_reports r JOIN users u ON u.id = r.reporter_id
         WHERE r.case_id = $1",
        params![case.id],
    )?;
    let Some(row) = row else {
        return Ok(Vec::new());
    };
    let (code, id, name): (String, i64, String) = (row.get(0)?, row.get(1)?, row.get(2)?);
    let shown = Period::parse(&code).map_or(code.clone(), |p| p.label(Lang::Vi));
    Ok(vec![
        Fact {
            key: "period",
            value: json!({"code": code, "label": shown}),
            label: PERIOD,
            text: shown,
            link: None,
            warning: false,
        },
        Fact {
            key: "reporter",
            value: json!({"id": id, "name": name}),
            label: REPORTER,
            // The page names the collaborator among the report's parties.
            text: String::new(),
            link: None,
            warning: false,
        },
    ])
}
