//! Public-opinion reports (báo cáo dư luận xã hội): what collaborators (cộng tác viên)
//! file about the mood of the public in the localities they cover. This far, the part
//! that does not need the case engine: the reporting schedules of collaborators
//! (`schedule`, kept with their history), the arithmetic of periods, due dates and
//! reminders that the schedule job will run on (`period`), the page that sets a
//! schedule (`pages`) and the collaborator's home-page panel (`panel`). The kind's
//! declaration (states, transitions, the rows of a report) comes with typed fields;
//! it is not in `kinds::ALL` yet. Who is a collaborator and what they cover is the
//! registry's (`org::collaborators`).

pub mod pages;
pub mod panel;
pub mod period;
pub mod schedule;
