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

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

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

/// Counts with their shares, most first, then alphabetically as people read it.
fn sorted(counts: Vec<(String, usize)>, total: usize) -> Vec<Count> {
    let mut out: Vec<Count> = counts
        .into_iter()
        .map(|(label, count)| Count {
            share: share(count, total),
            label,
            count,
        })
        .collect();
    out.sort_by_cached_key(|c| (std::cmp::Reverse(c.count), vntext::fold(&c.label)));
    out
}

/// The name of a field or locality, or [`UNSPECIFIED`].
fn name(names: &HashMap<i64, String>, id: Option<i64>) -> &str {
    id.and_then(|id| names.get(&id))
        .map_or(UNSPECIFIED, String::as_str)
}

/// A report's data, as far as the roll-up reads it.
#[derive(Default, serde::Deserialize)]
struct Data<'a> {
    #[serde(borrow, default)]
    topics: Vec<TopicRow<'a>>,
}

#[derive(serde::Deserialize)]
struct TopicRow<'a> {
    #[serde(borrow, default)]
    topic: Option<Cow<'a, str>>,
    #[serde(default)]
    field: Option<Json>,
    #[serde(default)]
    locality: Option<Json>,
    #[serde(borrow, default)]
    attitude: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    opinions: Option<Cow<'a, str>>,
}

fn share(count: usize, total: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        (count as f64) * 100.0 / (total as f64)
    }
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
    // Topics by their key, and each spelling met by the topic it is: most spellings
    // repeat, so each is compared once.
    let mut topics: Vec<(String, usize)> = Vec::new();
    let mut topic_of_key: HashMap<String, usize> = HashMap::new();
    let mut topic_of_spelling: HashMap<String, usize> = HashMap::new();
    let mut by_field: HashMap<Option<i64>, usize> = HashMap::new();
    let mut by_locality: HashMap<Option<i64>, usize> = HashMap::new();
    let mut by_attitude = vec![0_usize; ATTITUDES.len()];
    let mut quotes = Vec::new();
    let (mut counted_reports, mut rows) = (0, 0);
    for r in &reports {
        let number: String = r.get(0)?;
        let state: String = r.get(1)?;
        let data: String = r.get(2)?;
        let reporter: i64 = r.get(3)?;
        let collaborator: String = r.get(4)?;
        if state == "expected" {
            continue; // opened by the schedule, not filed yet: the collaborator is missing
        }
        filed.insert(reporter);
        let state_label = WORKFLOW.state(&state).map_or("", |s| s.label);
        if counted(&state) {
            counted_reports += 1;
            let data: Data<'_> = serde_json::from_str(&data).unwrap_or_else(|e| {
                tracing::warn!(case = %number, error = %e, "an opinion report's topics do not read");
                Data::default()
            });
            for row in &data.topics {
                let topic = row.topic.as_deref().map_or("", str::trim);
                if topic.is_empty() {
                    continue;
                }
                rows += 1;
                let index = match topic_of_spelling.get(topic) {
                    Some(&i) => i,
                    None => {
                        let i = *topic_of_key.entry(topic_key(topic)).or_insert_with(|| {
                            let shown = topic.split_whitespace().collect::<Vec<_>>().join(" ");
                            topics.push((shown, 0));
                            topics.len() - 1
                        });
                        topic_of_spelling.insert(topic.to_owned(), i);
                        i
                    }
                };
                topics[index].1 += 1;
                let id = |v: &Option<Json>| v.as_ref().and_then(Json::as_i64);
                *by_field.entry(id(&row.field)).or_default() += 1;
                let locality = id(&row.locality);
                *by_locality.entry(locality).or_default() += 1;
                let attitude = row.attitude.as_deref().map_or("", str::trim);
                let attitude = ATTITUDES.iter().position(|a| a.code == attitude);
                if let Some(i) = attitude {
                    by_attitude[i] += 1;
                }
                let opinion = row.opinions.as_deref().map_or("", str::trim);
                if !opinion.is_empty() && quotes.len() < MAX_QUOTES {
                    quotes.push((
                        index,
                        Quote {
                            topic: topic.to_owned(),
                            locality: name(&localities, locality).to_owned(),
                            attitude: attitude.map_or("", |i| ATTITUDES[i].label),
                            opinion: opinion.to_owned(),
                            collaborator: collaborator.clone(),
                            number: number.clone(),
                        },
                    ));
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
    let folded: Vec<String> = topics.iter().map(|(t, _)| vntext::fold(t)).collect();
    quotes.sort_by(|(a, qa), (b, qb)| (&folded[*a], &qa.number).cmp(&(&folded[*b], &qb.number)));
    let quotes = quotes.into_iter().map(|(_, q)| q).collect();
    reported.sort_by_cached_key(|r| (vntext::fold(&r.collaborator), r.number.clone()));

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
        by_topic: sorted(topics, rows),
        by_field: sorted(
            by_field
                .into_iter()
                .map(|(id, n)| (name(&fields, id).to_owned(), n))
                .collect(),
            rows,
        ),
        by_locality: sorted(
            by_locality
                .into_iter()
                .map(|(id, n)| (name(&localities, id).to_owned(), n))
                .collect(),
            rows,
        ),
        by_attitude: ATTITUDES
            .iter()
            .zip(by_attitude)
            .map(|(a, count)| Count {
                label: a.label.to_owned(),
                count,
                share: share(count, rows),
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
