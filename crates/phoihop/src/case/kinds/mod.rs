//! The kinds of joint work, one declaration each. Adding a kind is adding a file here
//! and a line in [`ALL`].

pub mod complaint;
pub mod incident;
pub mod opinion_report;
pub mod orientation;
#[cfg(test)]
pub mod sample;

use super::workflow::{Effect, FieldKind, Workflow};

#[cfg(not(test))]
pub const ALL: &[&Workflow] = &[
    &incident::WORKFLOW,
    &orientation::WORKFLOW,
    &complaint::WORKFLOW,
    &opinion_report::WORKFLOW,
];
/// In the library's own tests, also a kind with a field of every type (`sample.rs`).
#[cfg(test)]
pub const ALL: &[&Workflow] = &[
    &incident::WORKFLOW,
    &orientation::WORKFLOW,
    &complaint::WORKFLOW,
    &opinion_report::WORKFLOW,
    &sample::WORKFLOW,
];

/// The declaration of `kind` (`"incident"`), if it exists.
pub fn find(kind: &str) -> Option<&'static Workflow> {
    ALL.iter().copied().find(|w| w.kind == kind)
}

/// The declaration whose number prefix starts `number` (`VV-2026-0042`).
pub fn for_number(number: &str) -> Option<&'static Workflow> {
    let prefix = number.split('-').next()?;
    ALL.iter().copied().find(|w| w.prefix == prefix)
}

/// Checks every declaration (`Workflow::check`) and what they say of each other: kind
/// codes and number prefixes are unique, a case field names a kind that exists, and an
/// effect on linked cases names a kind, its states and its action as declared. Run at
/// start-up (a kind that fails stops the program with this message) and by a test.
pub fn check(all: &[&Workflow]) -> Result<(), String> {
    for (i, w) in all.iter().enumerate() {
        w.check()?;
        if let Some(other) = all[..i].iter().find(|o| o.kind == w.kind) {
            return Err(format!("kind code {} is declared twice", other.kind));
        }
        if let Some(other) = all[..i].iter().find(|o| o.prefix == w.prefix) {
            return Err(format!(
                "{} and {} both number their cases {}",
                other.kind, w.kind, w.prefix
            ));
        }
    }
    let find = |kind: &str| all.iter().find(|w| w.kind == kind);
    for w in all {
        for t in w.openings().chain(w.transitions) {
            let linked = t.fields.iter().filter_map(|f| match f.kind {
                FieldKind::Case(k) | FieldKind::Cases(k) => Some((f.name, k)),
                _ => None,
            });
            for (name, kind) in linked {
                if find(kind).is_none() {
                    return Err(format!(
                        "{}: field {name} names unknown kind {kind}",
                        w.kind
                    ));
                }
            }
            for effect in t.effects {
                if let Effect::AdvanceLinked {
                    kind,
                    from,
                    action,
                    to,
                } = effect
                {
                    let at = format!("{}: action {} advances {kind}", w.kind, t.action);
                    let other = find(kind).ok_or(format!("{at}: no such kind"))?;
                    let moved = other
                        .transition(action)
                        .ok_or(format!("{at}: it has no action {action}"))?;
                    if moved.to != Some(*to) {
                        return Err(format!("{at}: its action {action} does not lead to {to}"));
                    }
                    if let Some(s) = from.iter().find(|s| !moved.from.contains(s)) {
                        return Err(format!("{at}: its action {action} is not taken from {s}"));
                    }
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::case::workflow::{Effect, FieldKind, FieldSpec, State, Transition, Workflow};

    #[test]
    fn every_declaration_is_consistent() {
        super::check(super::ALL).unwrap_or_else(|e| panic!("{e}"));
    }

    const BROKEN_STATES: &[State] = &[State::open("open", "Đang mở")];

    /// A kind wrong in one way, built on a shipped one.
    fn broken(label: &'static str, prefix: &'static str, effects: &'static [Effect]) -> Workflow {
        Workflow {
            kind: "broken",
            prefix,
            label,
            create: Transition {
                action: "open",
                label: "Đóng",
                to: Some("open"),
                effects,
                ..Transition::NONE
            },
            expect: None,
            states: BROKEN_STATES,
            transitions: &[],
            clocks: &[],
            parties: &[],
            columns: &[],
            lead_names_owner: false,
            assignee_field: None,
            hooks: &crate::case::workflow::Hooks::NONE,
            demo: None,
        }
    }

    fn refused(w: &Workflow) -> String {
        let all = [&super::incident::WORKFLOW, &super::orientation::WORKFLOW, w];
        super::check(&all).expect_err("the broken kind passes the check")
    }

    #[test]
    fn a_label_without_english_is_named() {
        let e = refused(&broken("Loại chưa dịch", "BR", &[]));
        assert!(e.contains("broken") && e.contains("Loại chưa dịch"), "{e}");
    }

    #[test]
    fn a_prefix_taken_by_another_kind_is_refused() {
        let e = refused(&broken("Đóng", "VV", &[]));
        assert!(e.contains("VV") && e.contains("incident"), "{e}");
    }

    #[test]
    fn effects_on_linked_kinds_must_name_what_exists() {
        const NO_KIND: &[Effect] = &[Effect::AdvanceLinked {
            kind: "nothing",
            from: &["concluded"],
            action: "mark_oriented",
            to: "oriented",
        }];
        const NO_ACTION: &[Effect] = &[Effect::AdvanceLinked {
            kind: "incident",
            from: &["concluded"],
            action: "fly",
            to: "oriented",
        }];
        const WRONG_FROM: &[Effect] = &[Effect::AdvanceLinked {
            kind: "incident",
            from: &["reported"],
            action: "mark_oriented",
            to: "oriented",
        }];
        const NO_RECIPIENTS: &[Effect] = &[Effect::SendToRecipients];
        const NO_STATE: &[Effect] = &[Effect::AcknowledgeReceipt {
            all_received: "everyone",
        }];
        for (effects, says) in [
            (NO_KIND, "no such kind"),
            (NO_ACTION, "no action fly"),
            (WRONG_FROM, "not taken from reported"),
            (NO_RECIPIENTS, "recipients"),
            (NO_STATE, "unknown state everyone"),
        ] {
            let e = refused(&broken("Đóng", "BR", effects));
            assert!(e.contains(says), "{e}");
        }
    }

    /// A kind names its parties once, with its own word for each, and its actions and
    /// clocks name only those.
    #[test]
    fn actions_name_only_declared_parties() {
        use crate::case::workflow::{Party, PartyDecl};
        const OWNER: &[PartyDecl] = &[PartyDecl::new(Party::Owner, "Cơ quan báo cáo")];
        const TWICE: &[PartyDecl] = &[
            PartyDecl::new(Party::Owner, "Cơ quan báo cáo"),
            PartyDecl::new(Party::Owner, "Cơ quan báo cáo"),
        ];
        const UNTRANSLATED: &[PartyDecl] = &[PartyDecl::new(Party::Owner, "Bên chưa dịch")];
        let mut w = broken("Đóng", "BR", &[]);
        w.create.who = &[Party::Owner];
        assert!(refused(&w).contains("names party Owner"), "{}", refused(&w));
        w.parties = OWNER;
        assert!(super::check(&[&super::incident::WORKFLOW, &w]).is_ok());
        w.parties = TWICE;
        assert!(refused(&w).contains("declared twice"));
        w.parties = UNTRANSLATED;
        assert!(refused(&w).contains("Bên chưa dịch"));
    }

    #[test]
    fn a_case_field_must_name_a_kind() {
        const FIELDS: &[FieldSpec] = &[FieldSpec {
            name: "earlier",
            label: "Vụ việc trước đó",
            kind: FieldKind::Case("nothing"),
            required: false,
        }];
        let mut w = broken("Đóng", "BR", &[]);
        w.create.fields = FIELDS;
        assert!(refused(&w).contains("unknown kind nothing"));
    }
}
