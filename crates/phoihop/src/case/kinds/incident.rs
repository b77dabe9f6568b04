//! Pressing incident (vụ việc nổi cộm): an agency reports it, the lead body
//! acknowledges it and asks for information as often as it needs, the agency gives it
//! and concludes, and an orientation sent about it marks it oriented; then it closes.
//!
//! reported → acknowledged → info_requested ⇄ info_provided → concluded → oriented → closed

use crate::case::workflow::{
    ClockSpec, DateRange, FieldKind, FieldSpec, Party, State, Transition, Workflow,
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
        from: &[],
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
        stops: &[],
        documents: false,
        effects: &[],
    },
    states: &[
        State {
            code: "reported",
            label: "Mới báo cáo",
            closed: false,
        },
        State {
            code: "acknowledged",
            label: "Đã tiếp nhận",
            closed: false,
        },
        State {
            code: "info_requested",
            label: "Đang yêu cầu thông tin",
            closed: false,
        },
        State {
            code: "info_provided",
            label: "Đã cung cấp thông tin",
            closed: false,
        },
        State {
            code: "concluded",
            label: "Đã có kết luận",
            closed: false,
        },
        State {
            code: "oriented",
            label: "Đã định hướng tuyên truyền",
            closed: false,
        },
        State {
            code: "closed",
            label: "Đã đóng",
            closed: true,
        },
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
            documents: false,
            effects: &[],
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
            stops: &[],
            documents: false,
            effects: &[],
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
            starts: &[],
            stops: &["provide_info"],
            documents: false,
            effects: &[],
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
            starts: &[],
            stops: &["conclude", "provide_info"],
            documents: true,
            effects: &[],
        },
        Transition {
            action: "close",
            label: "Đóng vụ việc",
            from: &["concluded", "oriented"],
            to: Some("closed"),
            who: &[LeadStaff],
            fields: &[NOTE],
            starts: &[],
            stops: &[],
            documents: false,
            effects: &[],
        },
        Transition {
            action: "comment",
            label: "Ghi ý kiến",
            from: &[
                "reported",
                "acknowledged",
                "info_requested",
                "info_provided",
                "concluded",
                "oriented",
                "closed",
            ],
            to: None,
            who: &[Owner, Assignee, LeadStaff],
            fields: &[FieldSpec {
                name: "note",
                label: "Ý kiến",
                kind: FieldKind::Text,
                required: true,
            }],
            starts: &[],
            stops: &[],
            documents: false,
            effects: &[],
        },
        // Taken by the engine when an orientation answering this incident is sent.
        Transition {
            action: "mark_oriented",
            label: "Đã có định hướng tuyên truyền",
            from: &["concluded"],
            to: Some("oriented"),
            who: &[],
            fields: &[],
            starts: &[],
            stops: &[],
            documents: false,
            effects: &[],
        },
    ],
    clocks: &[
        ClockSpec {
            code: "acknowledge",
            label: "Tiếp nhận vụ việc",
            working_days: 1,
            party: LeadStaff,
        },
        ClockSpec {
            code: "conclude",
            label: "Kết luận vụ việc",
            working_days: 10,
            party: Owner,
        },
        ClockSpec {
            code: "provide_info",
            label: "Cung cấp thông tin",
            working_days: 3,
            party: Owner,
        },
    ],
};
