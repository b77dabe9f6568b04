//! Public-opinion reports (báo cáo dư luận xã hội): what collaborators (cộng tác viên)
//! file about the mood of the public in the localities they cover.
//!
//! - [`kind`]: the declaration the engine runs (a report with a row per topic, filed,
//!   accepted or returned with a reason and filed again), and [`filing`], its hooks:
//!   one report per collaborator and period, on the localities and fields they cover.
//! - [`schedule`] and [`period`]: the reporting schedules of collaborators, kept with
//!   their history, and the arithmetic of periods, due dates and reminders.
//! - [`pages`]: the page that sets a schedule; [`panel`]: the collaborator's home panel.
//! - [`rollup`]: the roll-up of a period's reports, shown and exported by [`rollup_pages`].
//!
//! Who is a collaborator and what they cover is the registry's (`org::collaborators`).

#[cfg(feature = "bench")]
pub mod bench;
mod demo;
pub mod expected;
mod filing;
mod kind;
pub mod pages;
pub mod panel;
pub mod period;
pub mod rollup;
pub mod rollup_pages;
pub mod schedule;

pub use kind::{ATTITUDES, WORKFLOW};
