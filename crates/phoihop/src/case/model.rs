//! Cases and their events as stored, and who stands where relative to a case.

use crate::access::Actor;
use crate::access::Role;
use crate::db::{Conn, Row};
use crate::error::Result;
use crate::org::{self, Organisation};
use crate::params;

use super::workflow::Party;

#[derive(Debug, Clone, serde::Serialize)]
pub struct Case {
    pub id: i64,
    pub kind: String,
    pub number: String,
    pub title: String,
    pub body: String,
    pub state: String,
    pub program_id: i64,
    pub commitment_id: Option<i64>,
    pub field_id: Option<i64>,
    pub locality_id: Option<i64>,
    pub owner_org_id: i64,
    pub assignee_org_id: Option<i64>,
    pub opened_at: i64,
    pub closed_at: Option<i64>,
    pub updated_at: i64,
    pub version: i64,
    /// Kind-specific fields.
    pub data: serde_json::Map<String, serde_json::Value>,
    /// The person who opened it (none for cases older than the column).
    pub created_by: Option<i64>,
}

/// The columns [`Case::from_row`] reads, of `cases c`, as a literal for `concat!`.
macro_rules! case_columns {
    () => {
        "c.id, c.kind, c.number, c.title, c.body, c.state, c.program_id, c.commitment_id, \
         c.field_id, c.locality_id, c.owner_org_id, c.assignee_org_id, c.opened_at, \
         c.closed_at, c.updated_at, c.version, c.data, c.created_by"
    };
}
pub(crate) use case_columns;

pub(crate) const CASE_COLUMNS: &str = case_columns!();

impl Case {
    pub(crate) fn from_row(r: &Row) -> Result<Case> {
        let data: String = r.get(16)?;
        Ok(Case {
            id: r.get(0)?,
            kind: r.get(1)?,
            number: r.get(2)?,
            title: r.get(3)?,
            body: r.get(4)?,
            state: r.get(5)?,
            program_id: r.get(6)?,
            commitment_id: r.get(7)?,
            field_id: r.get(8)?,
            locality_id: r.get(9)?,
            owner_org_id: r.get(10)?,
            assignee_org_id: r.get(11)?,
            opened_at: r.get(12)?,
            closed_at: r.get(13)?,
            updated_at: r.get(14)?,
            version: r.get(15)?,
            data: serde_json::from_str(&data).unwrap_or_default(),
            created_by: r.get(17)?,
        })
    }
}

pub fn by_number(conn: &mut dyn Conn, number: &str) -> Result<Option<Case>> {
    conn.query_opt(
        &format!("SELECT {CASE_COLUMNS} FROM cases c WHERE c.number = $1"),
        params![number.trim().to_uppercase()],
    )?
    .as_ref()
    .map(Case::from_row)
    .transpose()
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Event {
    pub id: i64,
    pub at: i64,
    pub actor_name: String,
    pub actor_org_id: Option<i64>,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub note: String,
    pub data: serde_json::Map<String, serde_json::Value>,
}

pub fn events(conn: &mut dyn Conn, case_id: i64) -> Result<Vec<Event>> {
    conn.query(
        "SELECT id, at, actor_name, actor_org_id, action, from_state, to_state, note, data
         FROM case_events WHERE case_id = $1 ORDER BY id",
        params![case_id],
    )?
    .iter()
    .map(|r| {
        let data: String = r.get(8)?;
        Ok(Event {
            id: r.get(0)?,
            at: r.get(1)?,
            actor_name: r.get(2)?,
            actor_org_id: r.get(3)?,
            action: r.get(4)?,
            from_state: r.get(5)?,
            to_state: r.get(6)?,
            note: r.get(7)?,
            data: serde_json::from_str(&data).unwrap_or_default(),
        })
    })
    .collect()
}

/// An addressee of a case and whether it has acknowledged receipt.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Recipient {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub sent_at: i64,
    pub acknowledged_at: Option<i64>,
}

pub fn recipients(conn: &mut dyn Conn, case_id: i64) -> Result<Vec<Recipient>> {
    conn.query(
        "SELECT r.organisation_id, o.name, r.sent_at, r.acknowledged_at
         FROM case_recipients r JOIN organisations o ON o.id = r.organisation_id
         WHERE r.case_id = $1 ORDER BY o.name",
        params![case_id],
    )?
    .iter()
    .map(|r| {
        Ok(Recipient {
            organisation_id: r.get(0)?,
            organisation_name: r.get(1)?,
            sent_at: r.get(2)?,
            acknowledged_at: r.get(3)?,
        })
    })
    .collect()
}

/// The person acting on cases, as the engine needs them: no HTTP in sight.
#[derive(Debug, Clone)]
pub struct CaseActor {
    pub user_id: i64,
    /// Who they are in the audit trail and the logs (unique).
    pub username: String,
    /// Their name as people read it (`display_name`), written on the timeline.
    pub name: String,
    pub role: Role,
    pub org_id: i64,
}

impl From<&Actor> for CaseActor {
    fn from(a: &Actor) -> Self {
        CaseActor {
            user_id: a.user_id,
            username: a.username.clone(),
            name: a.display_name.clone(),
            role: a.role,
            org_id: a.org_id,
        }
    }
}

impl CaseActor {
    /// Lead-body staff see and coordinate every case.
    pub fn is_lead_staff(&self) -> bool {
        matches!(self.role, Role::Leader | Role::Specialist)
    }

    /// Agency people act for their organisation and the units below it.
    pub fn is_agency_staff(&self) -> bool {
        matches!(
            self.role,
            Role::Liaison | Role::AgencyLeader | Role::UnitOfficer
        )
    }
}

/// The parties `actor` holds on `case`; empty means the case is not theirs to see.
pub fn parties(
    actor: &CaseActor,
    case: &Case,
    recipient_orgs: &[i64],
    all: &[Organisation],
) -> Vec<Party> {
    let mut out = Vec::new();
    if actor.role == Role::Collaborator && case.created_by == Some(actor.user_id) {
        out.push(Party::Reporter);
    }
    if actor.is_lead_staff() {
        out.push(Party::LeadStaff);
        if actor.role == Role::Leader {
            out.push(Party::LeadLeader);
        }
    }
    let mine = |org: i64| org::is_ancestor(all, actor.org_id, org);
    if actor.is_agency_staff() || actor.is_lead_staff() {
        if mine(case.owner_org_id) {
            out.push(Party::Owner);
        }
        if case.assignee_org_id.is_some_and(mine) {
            out.push(Party::Assignee);
        }
        if recipient_orgs.iter().any(|r| mine(*r)) {
            out.push(Party::Recipient);
        }
    }
    out
}

/// The organisations whose cases `actor` sees as their own: their organisation and
/// every unit below it.
pub fn own_scope(actor: &CaseActor, all: &[Organisation]) -> Vec<i64> {
    all.iter()
        .filter(|o| org::is_ancestor(all, actor.org_id, o.id))
        .map(|o| o.id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::{BodyType, OrgRole};

    fn organisation(id: i64, parent_id: Option<i64>, role: OrgRole) -> Organisation {
        Organisation {
            id,
            parent_id,
            code: format!("O{id}"),
            name: format!("Tổ chức {id}"),
            body_type: BodyType::State,
            role,
            locality_id: None,
            valid_from: "2020-01-01".into(),
            valid_to: None,
            successor_id: None,
        }
    }

    fn case_of(owner: i64, assignee: i64) -> Case {
        Case {
            id: 1,
            kind: "incident".into(),
            number: "VV-2026-0001".into(),
            title: "Tin đồn về vắc-xin".into(),
            body: String::new(),
            state: "reported".into(),
            program_id: 1,
            commitment_id: None,
            field_id: None,
            locality_id: None,
            owner_org_id: owner,
            assignee_org_id: Some(assignee),
            opened_at: 0,
            closed_at: None,
            updated_at: 0,
            version: 1,
            data: serde_json::Map::new(),
            created_by: None,
        }
    }

    /// A collaborator is registered under an organisation but usually outside it: its
    /// cases, owned, assigned or sent to it, are not theirs, while its liaison's.
    #[test]
    fn a_collaborator_holds_no_party_on_their_organisations_cases() {
        let all = [
            organisation(1, None, OrgRole::Lead),
            organisation(2, None, OrgRole::Partner),
            organisation(3, Some(2), OrgRole::Unit),
        ];
        let as_role = |role, org_id| CaseActor {
            user_id: 9,
            username: "x".into(),
            name: "x".into(),
            role,
            org_id,
        };
        let case = case_of(2, 1);
        assert_eq!(
            parties(&as_role(Role::Liaison, 2), &case, &[2], &all),
            [Party::Owner, Party::Recipient]
        );
        for org in [1, 2, 3] {
            assert!(
                parties(&as_role(Role::Collaborator, org), &case, &[2, 3], &all).is_empty(),
                "a collaborator of organisation {org}"
            );
        }
        // Theirs is what they filed, and only as its reporter.
        let filed = Case {
            created_by: Some(9),
            ..case_of(2, 1)
        };
        assert_eq!(
            parties(&as_role(Role::Collaborator, 2), &filed, &[], &all),
            [Party::Reporter]
        );
        let by_other = Case {
            created_by: Some(10),
            ..case_of(2, 1)
        };
        assert!(parties(&as_role(Role::Collaborator, 2), &by_other, &[], &all).is_empty());
    }
}
