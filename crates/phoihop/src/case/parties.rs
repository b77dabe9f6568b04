//! Who a person is to a case. The relations are the engine's rules ([`Party`]: the
//! organisation that owns the case, the one it is assigned to, …), computed from the
//! case (`model::parties`); which of them a kind has, and what it calls each one, is
//! the kind's declaration ([`PartyDecl`]): an incident's owner is the *reporting
//! agency*, a complaint's assignee the *handling agency*, a report's reporter the
//! *collaborator*. The case page and the API name the parties by the kind's labels.

use serde_json::{Value, json};

use crate::db::Conn;
use crate::i18n::{Lang, Msg, tr};
use crate::org::{OrgRole, tree::OrgTree};

use super::CaseError;
use super::model::{Case, Recipient};
use super::workflow::Workflow;

/// Who, relative to a case, may take an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// People of the organisation that owns the case (the reporting agency and its units).
    Owner,
    /// People of the organisation the case is assigned to.
    Assignee,
    /// The lead body's specialists and leaders, on any case.
    LeadStaff,
    /// The lead body's leaders only (approvals).
    LeadLeader,
    /// People of an organisation the case was sent to (an orientation's addressees).
    Recipient,
    /// The collaborator who filed the case (a public-opinion report), and nobody else:
    /// collaborators hold no other party.
    Reporter,
}

impl Party {
    pub const ALL: [Party; 6] = [
        Party::Owner,
        Party::Assignee,
        Party::LeadStaff,
        Party::LeadLeader,
        Party::Recipient,
        Party::Reporter,
    ];

    /// Stable code in the API (`"assignee"`).
    pub fn code(self) -> &'static str {
        match self {
            Party::Owner => "owner",
            Party::Assignee => "assignee",
            Party::LeadStaff => "lead_staff",
            Party::LeadLeader => "lead_leader",
            Party::Recipient => "recipient",
            Party::Reporter => "reporter",
        }
    }
}

/// A relation a kind has, with what the kind calls whoever holds it.
#[derive(Debug)]
pub struct PartyDecl {
    pub party: Party,
    pub label: Msg,
}

impl PartyDecl {
    pub const fn new(party: Party, label: Msg) -> PartyDecl {
        PartyDecl { party, label }
    }
}

impl Workflow {
    /// What this kind calls `party`, if it has it.
    pub fn party_label(&self, party: Party) -> Option<Msg> {
        self.parties
            .iter()
            .find(|d| d.party == party)
            .map(|d| d.label)
    }

    /// Every party its transitions and clocks name is declared, once.
    pub(super) fn check_parties(&self) -> Result<(), String> {
        for (i, d) in self.parties.iter().enumerate() {
            if self.parties[..i].iter().any(|o| o.party == d.party) {
                return Err(format!("{}: party {:?} declared twice", self.kind, d.party));
            }
        }
        let named = self
            .openings()
            .chain(self.transitions)
            .flat_map(|t| t.who.iter().map(move |p| (*p, t.action)))
            .chain(self.clocks.iter().map(|c| (c.party, c.code)));
        for (party, by) in named {
            if self.party_label(party).is_none() {
                return Err(format!(
                    "{}: {by} names party {party:?}, which the kind does not declare",
                    self.kind
                ));
            }
        }
        Ok(())
    }
}

/// One party of a case as the page and the API show it: the kind's name for it and
/// who holds it now (organisations, or the person who filed it).
#[derive(Debug)]
pub struct Holder {
    pub party: Party,
    pub label: Msg,
    /// Organisations (id, name), or the reporter (user id, name).
    pub names: Vec<(i64, String)>,
}

impl Holder {
    /// "Cơ quan giải quyết: UBND xã Đăk Hà" in `lang`.
    pub fn line(&self, lang: Lang) -> String {
        let names: Vec<&str> = self.names.iter().map(|(_, n)| n.as_str()).collect();
        format!("{}: {}", tr(lang, self.label), names.join(", "))
    }

    pub fn to_json(&self) -> Value {
        let key = if self.party == Party::Reporter {
            "people"
        } else {
            "organisations"
        };
        let names: Vec<Value> = self
            .names
            .iter()
            .map(|(id, name)| json!({"id": id, "name": name}))
            .collect();
        json!({"party": self.party.code(), "label": self.label, key: names})
    }
}

/// Who holds each party `workflow` declares on `case`, in the declaration's order;
/// a party nobody holds (a case not assigned, an orientation not yet sent) is left
/// out, and so are the lead body's leaders, who are the lead body's staff's body, and
/// a party named as an earlier one is (an incident's assignee and the lead body's
/// staff are both the coordinating body).
pub fn holders(
    conn: &mut dyn Conn,
    workflow: &Workflow,
    case: &Case,
    recipients: &[Recipient],
    tree: &OrgTree,
) -> Result<Vec<Holder>, CaseError> {
    let org = |id: i64| tree.name(id).map(|n| (id, n.to_owned()));
    let mut out = Vec::new();
    for d in workflow.parties {
        let names: Vec<(i64, String)> = match d.party {
            Party::Owner => org(case.owner_org_id).into_iter().collect(),
            Party::Assignee => case.assignee_org_id.and_then(org).into_iter().collect(),
            Party::LeadStaff => tree
                .iter()
                .filter(|o| o.role == OrgRole::Lead && o.is_current())
                .map(|o| (o.id, o.name.clone()))
                .collect(),
            Party::LeadLeader => Vec::new(),
            Party::Recipient => recipients
                .iter()
                .map(|r| (r.organisation_id, r.organisation_name.clone()))
                .collect(),
            Party::Reporter => match case.created_by {
                Some(id) => conn
                    .query(
                        "SELECT display_name FROM users WHERE id = $1",
                        crate::params![id],
                    )?
                    .first()
                    .map(|r| r.get::<String>(0).map(|name| (id, name)))
                    .transpose()?
                    .into_iter()
                    .collect(),
                None => Vec::new(),
            },
        };
        if !names.is_empty() && !out.iter().any(|h: &Holder| h.label == d.label) {
            out.push(Holder {
                party: d.party,
                label: d.label,
                names,
            });
        }
    }
    Ok(out)
}
