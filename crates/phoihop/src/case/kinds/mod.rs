//! The kinds of joint work, one declaration each. Adding a kind is adding a file here
//! and a line in [`ALL`].

pub mod complaint;
pub mod incident;
pub mod orientation;
#[cfg(test)]
pub mod sample;

use super::workflow::Workflow;

#[cfg(not(test))]
pub const ALL: &[&Workflow] = &[&incident::WORKFLOW, &orientation::WORKFLOW];
/// In the library's own tests, also a kind with a field of every type (`sample.rs`).
#[cfg(test)]
pub const ALL: &[&Workflow] = &[
    &incident::WORKFLOW,
    &orientation::WORKFLOW,
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

#[cfg(test)]
mod tests {
    #[test]
    fn every_declaration_is_consistent() {
        for workflow in super::ALL {
            workflow.check().unwrap_or_else(|e| panic!("{e}"));
        }
    }

    /// Every label a person may see of a kind's fields (their own, their choices', their
    /// columns') has its English.
    #[test]
    fn every_field_label_has_english() {
        use crate::i18n::{Lang, tr};
        let mut missing = Vec::new();
        for workflow in super::ALL {
            let transitions = std::iter::once(&workflow.create).chain(workflow.transitions);
            for label in transitions.flat_map(|t| t.fields.iter().flat_map(|f| f.labels())) {
                if tr(Lang::En, label) == label {
                    missing.push(format!("{}: {label}", workflow.kind));
                }
            }
        }
        assert!(missing.is_empty(), "no English for: {missing:?}");
    }

    #[test]
    fn kinds_and_prefixes_are_unique() {
        let mut kinds: Vec<_> = super::ALL.iter().map(|w| w.kind).collect();
        let mut prefixes: Vec<_> = super::ALL.iter().map(|w| w.prefix).collect();
        kinds.dedup();
        prefixes.sort();
        prefixes.dedup();
        assert_eq!(kinds.len(), super::ALL.len());
        assert_eq!(prefixes.len(), super::ALL.len());
    }
}
