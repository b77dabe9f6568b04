//! The roll-up of the public-opinion reports of a period (tổng hợp báo cáo dư luận xã
//! hội): how many topic rows name each topic, field, locality and attitude; who reported
//! and who their schedule expected but did not; the notable opinions quoted.
//!
//! A topic is counted under the spelling of the first report filed that names it.
//! Only reports submitted or accepted count; a returned report is listed with its state
//! and counts nowhere else. A collaborator is expected for a period when the schedule
//! row in force on its last day is a regular rule of the period's cadence (as
//! [`super::period::expected_between`] reads a history); ad hoc means not expected.
//!
//! It reads in three statements whatever the number of collaborators: the reports of
//! the period (with their cases and reporters), the schedules of the collaborators,
//! and the names of fields and localities.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value as Json;

use crate::db::Conn;
use crate::error::Result;
use crate::params;

use super::kind::{ATTITUDES, WORKFLOW};
use super::period::{Cadence, Period};

/// The most quotes a roll-up carries; the rest are in the reports themselves.
pub const MAX_QUOTES: usize = 2_000;

/// Shown for a row without a field or locality.
pub const UNSPECIFIED: &str = "Không ghi";

/// A count of topic rows under one heading.
#[derive(Debug, Clone, PartialEq)]
pub struct Count {
    pub label: String,
    pub count: usize,
    /// Share of all counted topic rows, 0–100.
    pub share: f64,
}

impl Count {
    /// The share as people read it: `33,3%`.
    pub fn share_shown(&self) -> String {
        format!("{:.1}%", self.share).replace('.', ",")
    }
}

/// A report filed for the period.
#[derive(Debug, Clone)]
pub struct Reported {
    pub collaborator: String,
    pub number: String,
    pub state: String,
    pub state_label: &'static str,
}

impl Reported {
    /// Whether the report counts in the tables (submitted or accepted).
    pub fn counts(&self) -> bool {
        counted(&self.state)
    }
}

/// A notable opinion, quoted.
#[derive(Debug, Clone)]
pub struct Quote {
    pub topic: String,
    pub locality: String,
    pub attitude: &'static str,
    pub opinion: String,
    pub collaborator: String,
    pub number: String,
}

/// The roll-up of one period, for one organisation or all.
#[derive(Debug, Clone)]
pub struct RollUp {
    pub period: Period,
    pub org_id: Option<i64>,
    /// Reports that count (submitted or accepted).
    pub reports: usize,
    /// Topic rows in them.
    pub rows: usize,
    pub by_topic: Vec<Count>,
    pub by_field: Vec<Count>,
    pub by_locality: Vec<Count>,
    /// Every attitude, in the order of [`ATTITUDES`], even those with no row.
    pub by_attitude: Vec<Count>,
    pub reported: Vec<Reported>,
    /// Names of the collaborators expected who filed nothing for the period.
    pub missing: Vec<String>,
    pub quotes: Vec<Quote>,
}

fn counted(state: &str) -> bool {
    matches!(state, "submitted" | "accepted")
}

/// A topic as it is compared: NFC with one tone placement, lower case, spaces collapsed.
pub fn topic_key(topic: &str) -> String {
    vntext::canonical(topic)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Tallies labels; the first spelling seen of a key is the one shown.
#[derive(Default)]
struct Tally {
    counts: HashMap<String, (String, usize)>,
}

impl Tally {
    fn add(&mut self, key: String, label: &str) {
        self.counts
            .entry(key)
            .or_insert_with(|| (label.to_owned(), 0))
            .1 += 1;
    }

    /// Most first, then alphabetically as people read it.
    fn into_counts(self, total: usize) -> Vec<Count> {
        let mut out: Vec<Count> = self
            .counts
            .into_values()
            .map(|(label, count)| Count {
                share: share(count, total),
                label,
                count,
            })
            .collect();
        out.sort_by_cached_key(|c| (std::cmp::Reverse(c.count), vntext::fold(&c.label)));
        out
    }
}

fn share(count: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        (count as f64) * 100.0 / (total as f64)
    }
}

fn text<'a>(row: &'a Json, key: &str) -> &'a str {
    row.get(key).and_then(Json::as_str).map_or("", str::trim)
}

/// The roll-up of `period`, for the collaborators registered under `org_id` (their
/// reports are owned by it) or, with `None`, for all.
pub fn rollup(conn: &mut dyn Conn, period: Period, org_id: Option<i64>) -> Result<RollUp> {
    let reports = conn.query(
        "SELECT c.number, c.state, c.data, u.id, u.display_name
         FROM opinion_reports r
         JOIN cases c ON c.id = r.case_id
         JOIN users u ON u.id = r.reporter_id
         WHERE r.period = $1 AND (CAST($2 AS BIGINT) IS NULL OR r.org_id = $2)
         ORDER BY r.case_id",
        params![period.code(), org_id],
    )?;
    let schedules = conn.query(
        "SELECT u.id, u.display_name, s.cadence
         FROM users u JOIN report_schedules s ON s.user_id = u.id
         WHERE u.role = 'collaborator' AND u.active = 1
           AND (CAST($1 AS BIGINT) IS NULL OR u.organisation_id = $1) AND s.valid_from <= $2
         ORDER BY u.id, s.valid_from, s.id",
        params![org_id, crate::clock::iso_date(period.last_day())],
    )?;
    let mut fields: HashMap<i64, String> = HashMap::new();
    let mut localities: HashMap<i64, String> = HashMap::new();
    for r in conn.query(
        "SELECT 'f', id, name FROM fields UNION ALL SELECT 'l', id, name FROM localities",
        &[],
    )? {
        let which: String = r.get(0)?;
        let entry = (r.get::<i64>(1)?, r.get::<String>(2)?);
        match which.as_str() {
            "f" => fields.insert(entry.0, entry.1),
            _ => localities.insert(entry.0, entry.1),
        };
    }

    let mut reported = Vec::new();
    let mut filed: HashSet<i64> = HashSet::new();
    let mut by_topic = Tally::default();
    let mut by_field = Tally::default();
    let mut by_locality = Tally::default();
    let mut by_attitude: BTreeMap<usize, usize> = BTreeMap::new();
    let mut quotes = Vec::new();
    let (mut counted_reports, mut rows) = (0, 0);
    for r in &reports {
        let number: String = r.get(0)?;
        let state: String = r.get(1)?;
        let data: String = r.get(2)?;
        let reporter: i64 = r.get(3)?;
        let collaborator: String = r.get(4)?;
        filed.insert(reporter);
        let state_label = WORKFLOW.state(&state).map_or("", |s| s.label);
        if counted(&state) {
            counted_reports += 1;
            let data: Json = serde_json::from_str(&data).unwrap_or(Json::Null);
            let topics = data
                .get("topics")
                .and_then(Json::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default();
            for row in topics {
                let topic = text(row, "topic");
                if topic.is_empty() {
                    continue;
                }
                rows += 1;
                let key = topic_key(topic);
                let shown = topic.split_whitespace().collect::<Vec<_>>().join(" ");
                by_topic.add(key, &shown);
                let field = row
                    .get("field")
                    .and_then(Json::as_i64)
                    .and_then(|id| fields.get(&id))
                    .map_or(UNSPECIFIED, String::as_str);
                by_field.add(field.to_owned(), field);
                let locality = row
                    .get("locality")
                    .and_then(Json::as_i64)
                    .and_then(|id| localities.get(&id))
                    .map_or(UNSPECIFIED, String::as_str);
                by_locality.add(locality.to_owned(), locality);
                let attitude = ATTITUDES
                    .iter()
                    .position(|a| a.code == text(row, "attitude"));
                if let Some(i) = attitude {
                    *by_attitude.entry(i).or_default() += 1;
                }
                let opinion = text(row, "opinions");
                if !opinion.is_empty() && quotes.len() < MAX_QUOTES {
                    quotes.push(Quote {
                        topic: topic.to_owned(),
                        locality: locality.to_owned(),
                        attitude: attitude.map_or("", |i| ATTITUDES[i].label),
                        opinion: opinion.to_owned(),
                        collaborator: collaborator.clone(),
                        number: number.clone(),
                    });
                }
            }
        }
        reported.push(Reported {
            collaborator,
            number,
            state,
            state_label,
        });
    }
    reported.sort_by_cached_key(|r| (vntext::fold(&r.collaborator), r.number.clone()));
    quotes.sort_by_cached_key(|q| (vntext::fold(&q.topic), q.number.clone()));

    // The schedule in force on the period's last day is each collaborator's last row.
    let wanted = match period.cadence {
        Cadence::Monthly => "monthly",
        Cadence::Quarterly => "quarterly",
    };
    let mut in_force: Vec<(i64, String, String)> = Vec::new();
    for r in &schedules {
        let (id, name, cadence): (i64, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        match in_force.last_mut() {
            Some(last) if last.0 == id => *last = (id, name, cadence),
            _ => in_force.push((id, name, cadence)),
        }
    }
    let mut missing: Vec<String> = in_force
        .into_iter()
        .filter(|(id, _, cadence)| cadence == wanted && !filed.contains(id))
        .map(|(_, name, _)| name)
        .collect();
    missing.sort_by_cached_key(|n| vntext::fold(n));

    Ok(RollUp {
        period,
        org_id,
        reports: counted_reports,
        rows,
        by_topic: by_topic.into_counts(rows),
        by_field: by_field.into_counts(rows),
        by_locality: by_locality.into_counts(rows),
        by_attitude: ATTITUDES
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let count = by_attitude.get(&i).copied().unwrap_or(0);
                Count {
                    label: a.label.to_owned(),
                    count,
                    share: share(count, rows),
                }
            })
            .collect(),
        reported,
        missing,
        quotes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_compare_without_case_or_extra_spaces() {
        assert_eq!(topic_key("Giá  ĐIỆN tăng "), topic_key("giá điện tăng"));
        assert_ne!(topic_key("giá điện"), topic_key("gia dien"));
    }

    #[test]
    fn shares_read_with_a_decimal_comma() {
        let c = Count {
            label: String::new(),
            count: 1,
            share: share(1, 3),
        };
        assert_eq!(c.share_shown(), "33,3%");
        assert_eq!(share(0, 0), 0.0);
    }
}
