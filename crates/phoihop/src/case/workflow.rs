//! How a kind of case declares its life, as data: its states, and the transitions
//! between them: which action, from which states, to which state, who may take it,
//! which fields it needs, and which deadline clocks it starts and stops.
//!
//! The engine (`engine.rs`) reads these tables and nothing else; pages and the API
//! offer exactly the actions a table allows a person now. A new kind of work is a new
//! declaration in `kinds/`, never a change here or in the engine.

use crate::i18n::Msg;

pub use super::fields::{Choice, DateRange, FieldKind, FieldSpec};
pub use super::hooks::{Fact, Hooks};
pub use super::parties::{Party, PartyDecl};

/// A kind's whole declaration.
#[derive(Debug)]
pub struct Workflow {
    /// Stable code stored in `cases.kind` and used by the API (`"incident"`).
    pub kind: &'static str,
    /// Prefix of the human number: `VV` gives `VV-2026-0042`.
    pub prefix: &'static str,
    pub label: Msg,
    /// How a case of this kind starts.
    pub create: Transition,
    /// How the kind's own job ([`Hooks::daily`]) opens a case it expects someone to
    /// take up (a period's report waiting for its collaborator), if it does.
    pub expect: Option<Transition>,
    pub states: &'static [State],
    pub transitions: &'static [Transition],
    pub clocks: &'static [ClockSpec],
    /// The relations a person may have to a case of this kind, each with the kind's
    /// name for it (`parties.rs`); transitions and clocks name only these.
    pub parties: &'static [PartyDecl],
    /// Fields of the opening a list of this kind alone shows as columns (`columns.rs`).
    pub columns: &'static [&'static str],
    /// Lead-body staff opening a case of this kind name the agency it belongs to (an
    /// incident is an agency's); otherwise a case they open is the lead body's own.
    pub lead_names_owner: bool,
    /// The organisation field of the opening that names who handles the case (a
    /// complaint's handling organisation), who then holds [`Party::Assignee`];
    /// without one, an agency's case is assigned to the lead body.
    pub assignee_field: Option<&'static str>,
    /// What the kind does beyond its tables (`hooks.rs`); [`Hooks::NONE`] for most.
    pub hooks: &'static Hooks,
    /// The kind's part of the demo province, run in `kinds::ALL` order over the demo's
    /// people and program (`case::demo`).
    pub demo: Option<super::demo::Script>,
}

#[derive(Debug)]
pub struct State {
    pub code: &'static str,
    pub label: Msg,
    /// A closed case takes no further actions but comments.
    pub closed: bool,
}

impl State {
    /// A state the case goes on from.
    pub const fn open(code: &'static str, label: Msg) -> State {
        State {
            code,
            label,
            closed: false,
        }
    }

    /// A state that ends the case: only comments follow.
    pub const fn closed(code: &'static str, label: Msg) -> State {
        State {
            code,
            label,
            closed: true,
        }
    }
}

#[derive(Debug)]
pub struct Transition {
    /// Stable code used by forms and the API (`"acknowledge"`).
    pub action: &'static str,
    pub label: Msg,
    /// States it may be taken from; empty for the creating transition.
    pub from: &'static [&'static str],
    /// The state it leads to; `None` keeps the state (a comment, a receipt).
    pub to: Option<&'static str>,
    pub who: &'static [Party],
    pub fields: &'static [FieldSpec],
    /// Clocks started by this action, in the name of the party whose turn it is.
    pub starts: &'static [&'static str],
    /// Clocks stopped (met, or breached if already late) by this action.
    pub stops: &'static [&'static str],
    /// The case must carry at least one attached document first (a conclusion rests on
    /// its papers).
    pub documents: bool,
    /// Extra effects the engine runs in the same transaction.
    pub effects: &'static [Effect],
}

impl Transition {
    /// What a transition is when it says nothing more: from no state, keeping the state,
    /// taken by nobody, with no fields, clocks, papers or effects. A declaration names
    /// only what differs and ends with `..Transition::NONE`.
    pub const NONE: Transition = Transition {
        action: "",
        label: "",
        from: &[],
        to: None,
        who: &[],
        fields: &[],
        starts: &[],
        stops: &[],
        documents: false,
        effects: &[],
    };
}

impl Transition {
    /// The comment (ghi ý kiến) every kind offers: a required note on the timeline,
    /// taken in `from` by `who`, the state kept.
    pub const fn comment(from: &'static [&'static str], who: &'static [Party]) -> Transition {
        Transition {
            action: "comment",
            label: "Ghi ý kiến",
            from,
            who,
            fields: &[FieldSpec {
                name: "note",
                label: "Ý kiến",
                kind: FieldKind::Text,
                required: true,
            }],
            ..Transition::NONE
        }
    }
}

/// Effects an action can have beyond its own case, named here and carried out by the
/// engine, so that declarations stay data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Records the addressees (`recipients` field) and starts their receipt clocks.
    SendToRecipients,
    /// Records the acting organisation's receipt; when every addressee has
    /// acknowledged, moves the case to `all_received`.
    AcknowledgeReceipt { all_received: &'static str },
    /// Moves the linked cases of kind `kind` in state `from` to state `to`
    /// (an orientation sent marks the incidents it answers as oriented).
    AdvanceLinked {
        kind: &'static str,
        from: &'static [&'static str],
        action: &'static str,
        to: &'static str,
    },
}

/// What every new case is sent with besides its kind's fields (the API's properties and
/// the form's), which no field of an opening may be named.
const OPENING_PROPERTIES: &[&str] = &[
    "kind",
    "title",
    "body",
    "program_id",
    "field_id",
    "locality_id",
    "commitment_id",
    "owner_org_id",
    "csrf",
];

/// What every action is sent with besides its fields.
const ACTION_PROPERTIES: &[&str] = &["action", "version", "csrf", "seen_event"];

/// A deadline started by an action, in the name of the party whose turn it is.
#[derive(Debug)]
pub struct ClockSpec {
    pub code: &'static str,
    pub label: Msg,
    pub days: Days,
    /// Whose turn it is while the clock runs.
    pub party: Party,
}

/// How a clock's last day is found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Days {
    /// So many working days from the day of the action that starts it.
    Working(u32),
    /// The kind's hooks start it with a date of their own (a complaint's legal limit,
    /// in calendar days where the law counts so); no transition names it in `starts`.
    SetByKind,
}

impl Workflow {
    pub fn state(&self, code: &str) -> Option<&State> {
        self.states.iter().find(|s| s.code == code)
    }

    pub fn transition(&self, action: &str) -> Option<&Transition> {
        self.transitions.iter().find(|t| t.action == action)
    }

    /// The transition of `action`, whether it opens a case or acts on one.
    pub fn any_transition(&self, action: &str) -> Option<&Transition> {
        self.openings()
            .chain(self.transitions.iter())
            .find(|t| t.action == action)
    }

    pub fn clock(&self, code: &str) -> Option<&ClockSpec> {
        self.clocks.iter().find(|c| c.code == code)
    }

    /// The ways a case of this kind is opened: by its creating transition, and by the
    /// expecting one when the kind has it.
    pub fn openings(&self) -> impl Iterator<Item = &Transition> {
        std::iter::once(&self.create).chain(self.expect.iter())
    }

    /// The first field named `name` among the kind's actions (a name has one type
    /// throughout a kind: `check` sees to it), to read a kept value by.
    pub fn field(&self, name: &str) -> Option<&'static FieldSpec> {
        self.openings()
            .chain(self.transitions.iter())
            .flat_map(|t| t.fields.iter())
            .find(|f| f.name == name)
    }

    /// Whether someone of `actor`'s standing may open a case of this kind at all: the
    /// parties a person holds on a case they are opening (which organisation's it is,
    /// the engine then decides).
    pub fn opened_by(&self, actor: &super::model::CaseActor) -> bool {
        use crate::access::Role;
        self.create.who.iter().any(|p| match p {
            Party::LeadStaff => actor.is_lead_staff(),
            Party::LeadLeader => actor.role == Role::Leader,
            Party::Owner => actor.is_agency_staff() || actor.is_lead_staff(),
            Party::Reporter => actor.role == Role::Collaborator,
            Party::Assignee | Party::Recipient => false,
        })
    }

    /// The actions someone holding `parties` may take on a case in `state`.
    pub fn allowed<'a>(&'a self, state: &str, parties: &[Party]) -> Vec<&'a Transition> {
        let closed = self.state(state).is_some_and(|s| s.closed);
        self.transitions
            .iter()
            .filter(|t| t.from.contains(&state) && (!closed || t.to.is_none()))
            .filter(|t| t.who.iter().any(|p| parties.contains(p)))
            .collect()
    }

    /// Checks the declaration itself: every state named exists, every clock named is
    /// declared, the fields are well formed (`fields::check_declared`), a field name
    /// has one type throughout, effects find what they read, and every label has its
    /// English. Run for every kind by `kinds::check`, at start-up and in a test.
    pub fn check(&self) -> Result<(), String> {
        let known = |s: &str| self.states.iter().any(|st| st.code == s);
        let mut all = vec![&self.create];
        all.extend(self.expect.iter());
        all.extend(self.transitions.iter());
        for t in &all {
            let reserved: &[&str] = if std::ptr::eq(*t, &self.create)
                || self.expect.as_ref().is_some_and(|e| std::ptr::eq(*t, e))
            {
                OPENING_PROPERTIES
            } else {
                ACTION_PROPERTIES
            };
            super::fields::check_declared(t.fields, reserved)
                .map_err(|e| format!("{}: action {}: {e}", self.kind, t.action))?;
            for f in t.fields {
                if self.field(f.name).is_some_and(|first| first.kind != f.kind) {
                    return Err(format!(
                        "{}: action {}: field {} has another type elsewhere",
                        self.kind, t.action, f.name
                    ));
                }
            }
        }
        for t in all {
            for s in t.from.iter().chain(t.to.iter()) {
                if !known(s) {
                    return Err(format!(
                        "{}: action {} names unknown state {s}",
                        self.kind, t.action
                    ));
                }
            }
            if let Some(c) = t
                .starts
                .iter()
                .find(|c| self.clock(c).is_some_and(|s| s.days == Days::SetByKind))
            {
                return Err(format!(
                    "{}: action {} starts clock {c}, which its kind sets",
                    self.kind, t.action
                ));
            }
            for c in t.starts.iter().chain(t.stops.iter()) {
                if self.clock(c).is_none() {
                    return Err(format!(
                        "{}: action {} names unknown clock {c}",
                        self.kind, t.action
                    ));
                }
            }
        }
        if self.create.to.is_none() || self.expect.as_ref().is_some_and(|e| e.to.is_none()) {
            return Err(format!("{}: creation must lead to a state", self.kind));
        }
        if let Some(name) = self.assignee_field {
            let declared = self
                .create
                .fields
                .iter()
                .any(|f| f.name == name && f.kind == FieldKind::Organisation && f.required);
            if !declared {
                return Err(format!(
                    "{}: its assignee field {name} is not a required organisation of the opening",
                    self.kind
                ));
            }
        }
        if let Some(name) = self
            .hooks
            .private
            .iter()
            .find(|p| !self.create.fields.iter().any(|f| f.name == **p))
        {
            return Err(format!(
                "{}: private field {name} is not a field of the opening",
                self.kind
            ));
        }
        for t in self.openings().chain(self.transitions) {
            self.check_effects(t)?;
        }
        self.check_parties()?;
        for name in self.columns {
            let shown = self.openings().any(|t| {
                t.fields
                    .iter()
                    .any(|f| f.name == *name && !matches!(f.kind, FieldKind::Rows { .. }))
            });
            if !shown || self.hooks.private.contains(name) {
                return Err(format!(
                    "{}: column {name} is not a kept field of the opening",
                    self.kind
                ));
            }
        }
        if let Some(label) = self
            .labels()
            .into_iter()
            .find(|l| crate::i18n::tr(crate::i18n::Lang::En, l) == *l)
        {
            return Err(format!(
                "{}: no English for \"{label}\" (add it to i18n/en.rs)",
                self.kind
            ));
        }
        Ok(())
    }

    /// What an action's effects need of its own kind: `SendToRecipients` reads the
    /// addressees from a `recipients` field of organisations, `AcknowledgeReceipt` moves
    /// to a declared state. Effects on other kinds are checked by `kinds::check`.
    fn check_effects(&self, t: &Transition) -> Result<(), String> {
        for effect in t.effects {
            match effect {
                Effect::SendToRecipients => {
                    let declared = t.fields.iter().any(|f| {
                        f.name == "recipients" && matches!(f.kind, FieldKind::Organisations)
                    });
                    if !declared {
                        return Err(format!(
                            "{}: action {} sends to recipients but has no `recipients` field of organisations",
                            self.kind, t.action
                        ));
                    }
                }
                Effect::AcknowledgeReceipt { all_received } => {
                    if self.state(all_received).is_none() {
                        return Err(format!(
                            "{}: action {} names unknown state {all_received}",
                            self.kind, t.action
                        ));
                    }
                }
                Effect::AdvanceLinked { .. } => {}
            }
        }
        Ok(())
    }

    /// Every label of the kind a person may see: its own, its states', its actions',
    /// their fields' (with choices and columns), its clocks' and its parties'.
    pub fn labels(&self) -> Vec<Msg> {
        let mut out = vec![self.label];
        out.extend(self.states.iter().map(|s| s.label));
        for t in self.openings().chain(self.transitions) {
            out.push(t.label);
            out.extend(t.fields.iter().flat_map(|f| f.labels()));
        }
        out.extend(self.clocks.iter().map(|c| c.label));
        out.extend(self.parties.iter().map(|p| p.label));
        out.extend(self.hooks.labels.iter().copied());
        out
    }
}
