//! Pressing incident (vụ việc nổi cộm): an agency reports it, the lead body
//! acknowledges it and asks for information as often as it needs, the agency gives it
//! and concludes, and an orientation sent about it marks it oriented; then it closes.
//!
//! reported → acknowledged → info_requested ⇄ info_provided → concluded → oriented → closed

#[cfg(feature = "bench")]
pub mod bench;
mod demo;

use crate::case::workflow::{
    ClockSpec, DateRange, Days, FieldKind, FieldSpec, Hooks, Party, PartyDecl, State, Transition,
    Workflow,
};

use Party::*;

const NOTE: FieldSpec = FieldSpec {
    name: "note",
    label: "Ghi chú",
    kind: FieldKind::Text,
    required: false,
};

pub const WORKFLOW: Workflow = Workflow {
    kind: "incident",
    prefix: "VV",
    label: "Vụ việc nổi cộm",
    create: Transition {
        action: "report",
        label: "Báo cáo vụ việc",
        to: Some("reported"),
        who: &[Owner, LeadStaff],
        // When it happened, which may be days before it is reported: how promptly
        // incidents are reported is part of every review.
        fields: &[FieldSpec {
            name: "occurred_on",
            label: "Ngày xảy ra",
            kind: FieldKind::Date(DateRange::UpToToday),
            required: false,
        }],
        starts: &["acknowledge"],
        ..Transition::NONE
    },
    expect: None,
    states: &[
        State::open("reported", "Mới báo cáo"),
        State::open("acknowledged", "Đã tiếp nhận"),
        State::open("info_requested", "Đang yêu cầu thông tin"),
        State::open("info_provided", "Đã cung cấp thông tin"),
        State::open("concluded", "Đã có kết luận"),
        State::open("oriented", "Đã định hướng tuyên truyền"),
        State::closed("closed", "Đã đóng"),
    ],
    transitions: &[
        Transition {
            action: "acknowledge",
            label: "Tiếp nhận",
            from: &["reported"],
            to: Some("acknowledged"),
            who: &[LeadStaff],
            fields: &[NOTE],
            starts: &["conclude"],
            stops: &["acknowledge"],
            ..Transition::NONE
        },
        Transition {
            action: "request_info",
            label: "Yêu cầu cung cấp thông tin",
            from: &["acknowledged", "info_provided"],
            to: Some("info_requested"),
            who: &[LeadStaff],
            fields: &[FieldSpec {
                name: "note",
                label: "Thông tin cần cung cấp",
                kind: FieldKind::Text,
                required: true,
            }],
            starts: &["provide_info"],
            ..Transition::NONE
        },
        Transition {
            action: "provide_info",
            label: "Cung cấp thông tin",
            from: &["info_requested"],
            to: Some("info_provided"),
            who: &[Owner],
            fields: &[FieldSpec {
                name: "note",
                label: "Thông tin cung cấp",
                kind: FieldKind::Text,
                required: true,
            }],
            stops: &["provide_info"],
            ..Transition::NONE
        },
        Transition {
            action: "conclude",
            label: "Kết luận vụ việc",
            from: &["acknowledged", "info_provided"],
            to: Some("concluded"),
            who: &[Owner],
            fields: &[FieldSpec {
                name: "conclusion",
                label: "Kết luận",
                kind: FieldKind::Text,
                required: true,
            }],
            stops: &["conclude", "provide_info"],
            documents: true,
            ..Transition::NONE
        },
        Transition {
            action: "close",
            label: "Đóng vụ việc",
            from: &["concluded", "oriented"],
            to: Some("closed"),
            who: &[LeadStaff],
            fields: &[NOTE],
            ..Transition::NONE
        },
        Transition::comment(
            &[
                "reported",
                "acknowledged",
                "info_requested",
                "info_provided",
                "concluded",
                "oriented",
                "closed",
            ],
            &[Owner, Assignee, LeadStaff],
        ),
        // Taken by the engine when an orientation answering this incident is sent.
        Transition {
            action: "mark_oriented",
            label: "Đã có định hướng tuyên truyền",
            from: &["concluded"],
            to: Some("oriented"),
            ..Transition::NONE
        },
    ],
    clocks: &[
        ClockSpec {
            code: "acknowledge",
            label: "Tiếp nhận vụ việc",
            days: Days::Working(1),
            party: LeadStaff,
        },
        ClockSpec {
            code: "conclude",
            label: "Kết luận vụ việc",
            days: Days::Working(10),
            party: Owner,
        },
        ClockSpec {
            code: "provide_info",
            label: "Cung cấp thông tin",
            days: Days::Working(3),
            party: Owner,
        },
    ],
    parties: &[
        PartyDecl::new(Owner, "Cơ quan báo cáo"),
        // An agency's incident is assigned to the lead body, which coordinates it.
        PartyDecl::new(Assignee, "Cơ quan chủ trì"),
        PartyDecl::new(LeadStaff, "Cơ quan chủ trì"),
    ],
    columns: &["occurred_on"],
    lead_names_owner: true,
    assignee_field: None,
    hooks: &Hooks::NONE,
    demo: Some(demo::script),
};
