//! Propaganda orientation (định hướng tuyên truyền): a lead-body specialist drafts it
//! (usually answering one or more incidents), a leader approves it, it is sent to
//! chosen agencies, and each agency acknowledges receipt.
//!
//! drafted → submitted → approved → sent → received → closed (returned goes back to drafted)

mod demo;

use crate::case::workflow::{
    ClockSpec, Days, Effect, FieldKind, FieldSpec, Hooks, Party, PartyDecl, State, Transition,
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
    kind: "orientation",
    prefix: "DH",
    label: "Định hướng tuyên truyền",
    create: Transition {
        action: "draft",
        label: "Soạn định hướng",
        to: Some("drafted"),
        who: &[LeadStaff],
        fields: &[FieldSpec {
            name: "incidents",
            label: "Vụ việc được định hướng",
            kind: FieldKind::Cases("incident"),
            required: false,
        }],
        ..Transition::NONE
    },
    expect: None,
    states: &[
        State::open("drafted", "Đang soạn"),
        State::open("submitted", "Chờ duyệt"),
        State::open("approved", "Đã duyệt"),
        State::open("sent", "Đã gửi"),
        State::open("received", "Các cơ quan đã nhận"),
        State::closed("closed", "Đã đóng"),
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
            ..Transition::NONE
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
            stops: &["approve"],
            ..Transition::NONE
        },
        Transition {
            action: "approve",
            label: "Duyệt",
            from: &["submitted"],
            to: Some("approved"),
            who: &[LeadLeader],
            fields: &[NOTE],
            stops: &["approve"],
            ..Transition::NONE
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
            effects: &[
                Effect::SendToRecipients,
                Effect::AdvanceLinked {
                    kind: "incident",
                    from: &["concluded"],
                    action: "mark_oriented",
                    to: "oriented",
                },
            ],
            ..Transition::NONE
        },
        Transition {
            action: "acknowledge_receipt",
            label: "Xác nhận đã nhận",
            from: &["sent"],
            who: &[Recipient],
            fields: &[NOTE],
            // Each addressee's own receipt clock is stopped by the effect.
            effects: &[Effect::AcknowledgeReceipt {
                all_received: "received",
            }],
            ..Transition::NONE
        },
        Transition {
            action: "close",
            label: "Đóng",
            from: &["sent", "received"],
            to: Some("closed"),
            who: &[LeadStaff],
            fields: &[NOTE],
            ..Transition::NONE
        },
        Transition::comment(
            &[
                "drafted",
                "submitted",
                "approved",
                "sent",
                "received",
                "closed",
            ],
            &[LeadStaff, Recipient],
        ),
    ],
    clocks: &[
        ClockSpec {
            code: "approve",
            label: "Duyệt định hướng",
            days: Days::Working(1),
            party: LeadLeader,
        },
        ClockSpec {
            code: "receipt",
            label: "Xác nhận đã nhận",
            days: Days::Working(1),
            party: Recipient,
        },
    ],
    parties: &[
        PartyDecl::new(LeadStaff, "Cơ quan ban hành"),
        PartyDecl::new(LeadLeader, "Lãnh đạo duyệt"),
        PartyDecl::new(Recipient, "Cơ quan nhận"),
    ],
    columns: &[],
    lead_names_owner: false,
    assignee_field: None,
    hooks: &Hooks::NONE,
    demo: Some(demo::script),
};
