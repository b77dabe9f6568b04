//! Complaints and petitions (đơn thư khiếu nại, tố cáo, kiến nghị, phản ánh): the parts
//! of the complaint kind that stand on their own, ahead of its declaration.
//!
//! What lives here:
//! - [`limits`]: the legal time limits per type of letter, as data with the law behind
//!   each, counted in calendar or working days as the law does; an installation
//!   changes them in `complaint_limits` ([`limit_settings`]).
//! - [`letters`]: the facts of a letter that queries need (type, level, handling
//!   organisation, day received, the letter it escalates past level), in
//!   `complaint_letters`.
//! - [`complainant`]: who sent it, personal data under Law 91/2025/QH15, in
//!   `complaint_parties`, which nothing but this module reads, and only for the
//!   handling organisation and the lead body's staff.
//! - [`escalation`]: whether a new letter reaches a higher level while a lower one
//!   still holds the same complainant's same matter within its limit (vượt cấp), on
//!   the matching keys of [`names`] and the text similarity of [`matter`].
//! - [`counts`]: escalations counted by field, locality and month, for the page and
//!   the XLSX export.
//!
//! - [`kind`]: the declaration the engine runs (states, transitions, typed fields,
//!   the handling organisation as the case's assignee, two clocks dated by the kind),
//!   and [`opening`], its hooks: registering a letter records its facts and senders
//!   (kept out of the case's `data`), starts its acceptance limit and flags an
//!   escalation; accepting it starts its resolution limit.

#[cfg(feature = "bench")]
pub mod bench;
pub mod complainant;
pub mod contact;
pub mod counts;
mod demo;
pub mod escalation;
mod kind;
pub mod letters;
pub mod limit_settings;
pub mod limits;
pub mod matter;
pub mod names;
mod opening;
pub mod pages;

pub use kind::WORKFLOW;

#[cfg(test)]
mod tests;

use crate::i18n::Msg;

/// The code the complaint kind is stored under in `cases.kind`.
pub const KIND: &str = "complaint";

/// What a letter asks for; each type has its own law and its own limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LetterType {
    /// Khiếu nại: asks to reconsider an administrative decision or act (Law on
    /// Complaints 2011).
    Complaint,
    /// Tố cáo: reports a violation of the law by someone (Law on Denunciations 2018);
    /// the denouncer's identity is kept confidential.
    Denunciation,
    /// Kiến nghị: proposes a change or a solution.
    Recommendation,
    /// Phản ánh: tells the authorities about a situation.
    Report,
}

impl LetterType {
    pub const ALL: [LetterType; 4] = [
        LetterType::Complaint,
        LetterType::Denunciation,
        LetterType::Recommendation,
        LetterType::Report,
    ];

    /// Stable code, stored in `complaint_letters.letter_type`.
    pub fn code(self) -> &'static str {
        match self {
            LetterType::Complaint => "complaint",
            LetterType::Denunciation => "denunciation",
            LetterType::Recommendation => "recommendation",
            LetterType::Report => "report",
        }
    }

    pub fn parse(code: &str) -> Option<LetterType> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    pub fn label(self) -> Msg {
        match self {
            LetterType::Complaint => "Khiếu nại",
            LetterType::Denunciation => "Tố cáo",
            LetterType::Recommendation => "Kiến nghị",
            LetterType::Report => "Phản ánh",
        }
    }
}

/// The level of government handling a letter, lowest first: since 2025 there is no
/// district level, so a letter goes from the commune to the province to the centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Commune,
    Province,
    Central,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Commune, Level::Province, Level::Central];

    /// Stable code, stored in `complaint_letters.level`.
    pub fn code(self) -> &'static str {
        match self {
            Level::Commune => "commune",
            Level::Province => "province",
            Level::Central => "central",
        }
    }

    pub fn parse(code: &str) -> Option<Level> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    pub fn label(self) -> Msg {
        match self {
            Level::Commune => "Cấp xã",
            Level::Province => "Cấp tỉnh",
            Level::Central => "Trung ương",
        }
    }

    /// The levels below this one, lowest first.
    pub fn below(self) -> impl Iterator<Item = Level> {
        Self::ALL.into_iter().filter(move |l| *l < self)
    }
}
