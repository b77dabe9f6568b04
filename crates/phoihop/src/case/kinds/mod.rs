//! The kinds of joint work, one declaration each. Adding a kind is adding a file here
//! and a line in [`ALL`].

pub mod incident;
pub mod opinion_report;
pub mod orientation;

use super::workflow::Workflow;

pub const ALL: &[&Workflow] = &[&incident::WORKFLOW, &orientation::WORKFLOW];

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
