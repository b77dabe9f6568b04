//! Escalations past level counted by field, locality and period: what the page and its
//! XLSX export show, each line with the letters received and how many of them went
//! past a level still within its limit. Counted by the day a letter was received.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use time::Date;

use crate::clock;
use crate::db::{Conn, Value};
use crate::error::{Error, Result};
use crate::i18n::{Lang, Msg};

/// How the lines are cut in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Month,
    Quarter,
    Year,
}

impl Period {
    /// The period a day falls in, as its line names it: `2026-03`, `2026-Q1`, `2026`.
    pub fn key(self, month: &str) -> String {
        let (year, m) = month.split_at(4);
        let m: u8 = m.trim_start_matches('-').parse().unwrap_or(1);
        match self {
            Period::Month => month.to_owned(),
            Period::Quarter => format!("{year}-Q{}", m.div_ceil(3)),
            Period::Year => year.to_owned(),
        }
    }

    /// A period key as people read it: *Tháng 03/2026*, *Quý I/2026*, *Năm 2026*
    /// (in English *03/2026*, *Q1 2026*, *2026*).
    pub fn label(lang: Lang, key: &str) -> String {
        const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];
        match (key.split_once('-'), lang) {
            (Some((year, q)), _) if q.starts_with('Q') => {
                let n: usize = q[1..].parse().unwrap_or(1).clamp(1, 4);
                match lang {
                    Lang::Vi => format!("Quý {}/{year}", ROMAN[n - 1]),
                    Lang::En => format!("Q{n} {year}"),
                }
            }
            (Some((year, month)), Lang::Vi) => format!("Tháng {month}/{year}"),
            (Some((year, month)), Lang::En) => format!("{month}/{year}"),
            (None, Lang::Vi) => format!("Năm {key}"),
            (None, Lang::En) => key.to_owned(),
        }
    }
}

/// Which letters are counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountFilter {
    /// Received from this day through `to`, both included.
    pub from: Date,
    pub to: Date,
    pub field_id: Option<i64>,
    pub locality_id: Option<i64>,
}

/// One line: a field, a locality and a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EscalationCount {
    pub field_id: Option<i64>,
    pub field: Option<String>,
    pub locality_id: Option<i64>,
    pub locality: Option<String>,
    /// See [`Period::key`].
    pub period: String,
    /// Letters received.
    pub letters: i64,
    /// Of which escalated past level.
    pub escalated: i64,
}

const BACKWARDS: Msg = "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.";

/// The lines for `filter`, by period, then field and locality as named (those with
/// none last); every combination that received a letter has one.
pub fn count_escalations(
    conn: &mut dyn Conn,
    filter: &CountFilter,
    period: Period,
) -> Result<Vec<EscalationCount>> {
    count(conn, filter, period, None)
}

/// The lines for `filter` among the letters one of `orgs` handles (an agency counting
/// its own letters).
pub fn count_escalations_handled_by(
    conn: &mut dyn Conn,
    filter: &CountFilter,
    period: Period,
    orgs: &[i64],
) -> Result<Vec<EscalationCount>> {
    count(conn, filter, period, Some(orgs))
}

fn count(
    conn: &mut dyn Conn,
    filter: &CountFilter,
    period: Period,
    orgs: Option<&[i64]>,
) -> Result<Vec<EscalationCount>> {
    if filter.from > filter.to {
        return Err(Error::field("from", BACKWARDS));
    }
    let rows = conn.query(
        "SELECT c.field_id, f.name, c.locality_id, lo.name, SUBSTR(l.received_on, 1, 7),
                COUNT(*), SUM(CASE WHEN l.escalated_from IS NULL THEN 0 ELSE 1 END),
                l.handling_org_id
         FROM complaint_letters l
         JOIN cases c ON c.id = l.case_id
         LEFT JOIN fields f ON f.id = c.field_id
         LEFT JOIN localities lo ON lo.id = c.locality_id
         WHERE l.received_on >= $1 AND l.received_on <= $2
           AND (CAST($3 AS BIGINT) IS NULL OR c.field_id = $3)
           AND (CAST($4 AS BIGINT) IS NULL OR c.locality_id = $4)
         GROUP BY c.field_id, f.name, c.locality_id, lo.name, SUBSTR(l.received_on, 1, 7),
                  l.handling_org_id",
        &[
            Value::from(clock::iso_date(filter.from)),
            Value::from(clock::iso_date(filter.to)),
            Value::from(filter.field_id),
            Value::from(filter.locality_id),
        ],
    )?;
    let mut lines: Vec<EscalationCount> = Vec::new();
    // Months of one quarter or year, and letters of different handling organisations,
    // come as lines of their own: they are added up.
    let mut at: HashMap<(Option<i64>, Option<i64>, String), usize> = HashMap::new();
    for r in &rows {
        let handling: i64 = r.get(7)?;
        if orgs.is_some_and(|orgs| !orgs.contains(&handling)) {
            continue;
        }
        let month: String = r.get(4)?;
        let line = EscalationCount {
            field_id: r.get(0)?,
            field: r.get(1)?,
            locality_id: r.get(2)?,
            locality: r.get(3)?,
            period: period.key(&month),
            letters: r.get(5)?,
            escalated: r.get(6)?,
        };
        match at.entry((line.field_id, line.locality_id, line.period.clone())) {
            Entry::Occupied(i) => {
                let same = &mut lines[*i.get()];
                same.letters += line.letters;
                same.escalated += line.escalated;
            }
            Entry::Vacant(v) => {
                v.insert(lines.len());
                lines.push(line);
            }
        }
    }
    lines.sort_by(|a, b| {
        let name = |n: &Option<String>| (n.is_none(), n.as_deref().map(vntext::canonical));
        (&a.period, name(&a.field), name(&a.locality)).cmp(&(
            &b.period,
            name(&b.field),
            name(&b.locality),
        ))
    });
    Ok(lines)
}

#[cfg(test)]
pub(super) fn messages() -> Vec<Msg> {
    vec![BACKWARDS]
}
