//! What a kind does beyond its tables, when states, fields, clocks and effects do not
//! say it all: a complaint keeps its complainant's personal data apart, counts its legal
//! limits in calendar days and looks for the letter it escalates past; a public-opinion
//! report may be filed once per period. The engine calls these at fixed points, in the
//! same transaction as the action, so a hook that refuses leaves nothing behind.
//!
//! A kind with nothing of the sort declares [`Hooks::NONE`].

use serde_json::{Map, Value as Json};

use crate::db::Conn;
use crate::i18n::Msg;
use crate::kit::{App, NavLink, Panel};

use super::CaseError;
use super::engine::At;
use super::model::{Case, CaseActor};
use super::workflow::{Party, Workflow};

/// A case as it was just opened, for [`Hooks::opened`].
pub struct Opened<'a> {
    pub actor: &'a CaseActor,
    pub workflow: &'a Workflow,
    /// How it was opened: the creating transition's action, or the expecting one's.
    pub action: &'a str,
    pub case: &'a Case,
    /// Every field of the opening as read and checked, the private ones too.
    pub fields: &'a Map<String, Json>,
    pub at: &'a At<'a>,
}

/// A case right after an action, for [`Hooks::acted`].
pub struct Acted<'a> {
    pub actor: &'a CaseActor,
    pub workflow: &'a Workflow,
    pub case: &'a Case,
    pub action: &'a str,
    pub fields: &'a Map<String, Json>,
    pub at: &'a At<'a>,
}

/// Something a kind tells about a case beyond its fields (a complaint escalated past
/// level, and the letter it escalates past): a key and value in the API's JSON, a
/// labelled line (with its link) on the case page.
#[derive(Debug, Clone)]
pub struct Fact {
    /// The property of the API's case object.
    pub key: &'static str,
    pub value: Json,
    pub label: Msg,
    /// The value as the case page shows it.
    pub text: String,
    pub link: Option<String>,
    /// Shown as a warning (a breach, a flag), not as a plain line.
    pub warning: bool,
}

type OpenedHook = fn(&mut dyn Conn, &Opened<'_>) -> Result<(), CaseError>;
type ActedHook = fn(&mut dyn Conn, &Acted<'_>) -> Result<(), CaseError>;
type DailyHook = fn(&mut dyn Conn, &At<'_>) -> Result<usize, CaseError>;
type FactsHook = fn(&mut dyn Conn, &CaseActor, &Case, &[Party]) -> Result<Vec<Fact>, CaseError>;

#[derive(Debug)]
pub struct Hooks {
    /// Fields of the opening never written to the case's `data`, nor so to its search
    /// document, its exports or the API: [`Hooks::opened`] receives them and keeps them
    /// where only those entitled read them (personal data, Law 91/2025/QH15).
    pub private: &'static [&'static str],
    /// Runs in the transaction that opens a case, after the case, its first event and
    /// its declared clocks are written. An error refuses the whole opening.
    pub opened: Option<OpenedHook>,
    /// Runs after an action and its effects, in the same transaction.
    pub acted: Option<ActedHook>,
    /// What the case page and the API add for someone holding these parties.
    pub facts: Option<FactsHook>,
    /// The kind's own recurring work (a period's expected reports opened, reminders
    /// sent), run by the background jobs on the node holding their lease, in one
    /// transaction; returns how much it did.
    pub daily: Option<DailyHook>,
    /// Every label the hooks show, for the check that each has its English.
    pub labels: &'static [Msg],
    /// The kind's own pages (a roll-up, an administrator's settings), which `web`
    /// mounts beside the case pages.
    pub routes: Option<fn() -> axum::Router<App>>,
    /// Where the navigation leads to those pages, and for whom.
    pub nav: &'static [NavLink],
    /// The kind's panel on the home page (a collaborator's waiting report).
    pub home: Option<Panel>,
}

impl Hooks {
    pub const NONE: Hooks = Hooks {
        private: &[],
        opened: None,
        acted: None,
        facts: None,
        daily: None,
        labels: &[],
        routes: None,
        nav: &[],
        home: None,
    };
}

/// The facts `workflow`'s hooks tell `actor` about `case`; none for most kinds.
pub(super) fn facts(
    conn: &mut dyn Conn,
    workflow: &Workflow,
    actor: &CaseActor,
    case: &Case,
    parties: &[Party],
) -> Result<Vec<Fact>, CaseError> {
    match workflow.hooks.facts {
        Some(facts) => facts(conn, actor, case, parties),
        None => Ok(Vec::new()),
    }
}

/// Runs every kind's recurring work (`Hooks::daily`) at `at`; returns how much was done.
pub fn run_daily(conn: &mut dyn Conn, at: &At<'_>) -> Result<usize, CaseError> {
    let mut done = 0;
    for workflow in super::kinds::ALL {
        if let Some(daily) = workflow.hooks.daily {
            done += daily(conn, at)?;
        }
    }
    Ok(done)
}
