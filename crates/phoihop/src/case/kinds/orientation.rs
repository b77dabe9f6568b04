//! Propaganda orientation (định hướng tuyên truyền): a lead-body specialist drafts it
//! (usually answering one or more incidents), a leader approves it, it is sent to
//! chosen agencies, and each agency acknowledges receipt.
//!
//! drafted → submitted → approved → sent → received → closed (returned goes back to drafted)

use crate::case::workflow::{
    ClockSpec, Effect, FieldKind, FieldSpec, Party, State, Transition, Workflow,
};

use Party::*;

const NOTE: FieldSpec = FieldSpec {
    name: "note",
    label: "Ghi chú",
    kind: FieldKind::Text,
    required: false,
};

pub const WORKFLOW: Workflow = Workflow {
    kind: "orientation",
    prefix: "DH",
    label: "Định hướng tuyên truyền",
    create: Transition {
        action: "draft",
        label: "Soạn định hướng",
        from: &[],
        to: Some("drafted"),
        who: &[LeadStaff],
        fields: &[FieldSpec {
            name: "incidents",
            label: "Vụ việc được định hướng",
            kind: FieldKind::Cases("incident"),
            required: false,
        }],
        starts: &[],
        stops: &[],
        documents: false,
        effects: &[],
    },
    states: &[
        State {
            code: "drafted",
            label: "Đang soạn",
            closed: false,
        },
        State {
            code: "submitted",
            label: "Chờ duyệt",
            closed: false,
        },
        State {
            code: "approved",
            label: "Đã duyệt",
            closed: false,
        },
        State {
            code: "sent",
            label: "Đã gửi",
            closed: false,
        },
        State {
            code: "received",
            label: "Các cơ quan đã nhận",
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
            action: "submit",
            label: "Trình duyệt",
            from: &["drafted"],
            to: Some("submitted"),
            who: &[LeadStaff],
            fields: &[NOTE],
            starts: &["approve"],
            stops: &[],
            documents: false,
            effects: &[],
        },
        Transition {
            action: "return",
            label: "Trả lại để sửa",
            from: &["submitted"],
            to: Some("drafted"),
            who: &[LeadLeader],
            fields: &[FieldSpec {
                name: "note",
                label: "Ý kiến chỉ đạo",
                kind: FieldKind::Text,
                required: true,
            }],
            starts: &[],
            stops: &["approve"],
            documents: false,
            effects: &[],
        },
        Transition {
            action: "approve",
            label: "Duyệt",
            from: &["submitted"],
            to: Some("approved"),
            who: &[LeadLeader],
            fields: &[NOTE],
            starts: &[],
            stops: &["approve"],
            documents: false,
            effects: &[],
        },
        Transition {
            action: "send",
            label: "Gửi các cơ quan",
            from: &["approved"],
            to: Some("sent"),
            who: &[LeadStaff],
            fields: &[FieldSpec {
                name: "recipients",
                label: "Cơ quan nhận",
                kind: FieldKind::Organisations,
                required: true,
            }],
            starts: &["receipt"],
            stops: &[],
            documents: false,
            effects: &[
                Effect::SendToRecipients,
                Effect::AdvanceLinked {
                    kind: "incident",
                    from: &["concluded"],
                    action: "mark_oriented",
                    to: "oriented",
                },
            ],
        },
        Transition {
            action: "acknowledge_receipt",
            label: "Xác nhận đã nhận",
            from: &["sent"],
            to: None,
            who: &[Recipient],
            fields: &[NOTE],
            starts: &[],
            // Each addressee's own receipt clock is stopped by the effect.
            stops: &[],
            documents: false,
            effects: &[Effect::AcknowledgeReceipt {
                all_received: "received",
            }],
        },
        Transition {
            action: "close",
            label: "Đóng",
            from: &["sent", "received"],
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
                "drafted",
                "submitted",
                "approved",
                "sent",
                "received",
                "closed",
            ],
            to: None,
            who: &[LeadStaff, Recipient],
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
    ],
    clocks: &[
        ClockSpec {
            code: "approve",
            label: "Duyệt định hướng",
            working_days: 1,
            party: LeadLeader,
        },
        ClockSpec {
            code: "receipt",
            label: "Xác nhận đã nhận",
            working_days: 1,
            party: Recipient,
        },
    ],
};
