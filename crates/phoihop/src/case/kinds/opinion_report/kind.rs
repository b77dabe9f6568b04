//! The public-opinion report as the engine runs it: a collaborator files the report of
//! a period, with a row per topic (its field, locality, the attitude of the public,
//! notable opinions, proposals) and free text; the lead body (or the organisation the
//! collaborator is registered under) accepts it or returns it with a reason, and a
//! returned report is corrected and filed again. Its hooks ([`super::filing`]) keep a
//! report to one per period and to the localities its collaborator covers.
//!
//! A schedule's period opens its report by itself once the period is over
//! ([`super::expected`], the kind's daily job), waiting for its collaborator with a
//! clock to the due day; reports outside a schedule are filed as they come.
//!
//! expected → submitted → accepted; submitted → returned → submitted

use crate::case::workflow::{
    Choice, ClockSpec, DateRange, Days, FieldKind, FieldSpec, Hooks, Party, PartyDecl, State,
    Transition, Workflow,
};

use super::{expected, filing};
use crate::access::policy::{Action, Scope};
use crate::kit::NavLink;
use Party::*;

/// The attitude of the public on a topic.
pub const ATTITUDES: &[Choice] = &[
    Choice {
        code: "supportive",
        label: "Đồng tình, ủng hộ",
    },
    Choice {
        code: "concerned",
        label: "Băn khoăn, lo lắng",
    },
    Choice {
        code: "negative",
        label: "Bức xúc, phản đối",
    },
    Choice {
        code: "mixed",
        label: "Nhiều chiều",
    },
];

/// Most topics one report holds.
pub const MAX_TOPICS: usize = 50;

const TOPIC_COLUMNS: &[FieldSpec] = &[
    FieldSpec {
        name: "topic",
        label: "Vấn đề, sự kiện",
        kind: FieldKind::Line,
        required: true,
    },
    FieldSpec {
        name: "field",
        label: "Lĩnh vực",
        kind: FieldKind::FieldOfWork,
        required: false,
    },
    FieldSpec {
        name: "locality",
        label: "Địa bàn",
        kind: FieldKind::Locality,
        required: false,
    },
    FieldSpec {
        name: "attitude",
        label: "Thái độ của nhân dân",
        kind: FieldKind::Choice(ATTITUDES),
        required: true,
    },
    FieldSpec {
        name: "opinions",
        label: "Ý kiến đáng chú ý",
        kind: FieldKind::Text,
        required: false,
    },
    FieldSpec {
        name: "proposals",
        label: "Kiến nghị, đề xuất",
        kind: FieldKind::Text,
        required: false,
    },
];

const PERIOD: FieldSpec = FieldSpec {
    name: "period",
    label: "Kỳ báo cáo",
    kind: FieldKind::Line,
    required: true,
};

const TOPICS: FieldSpec = FieldSpec {
    name: "topics",
    label: "Tình hình dư luận theo vấn đề",
    kind: FieldKind::Rows {
        columns: TOPIC_COLUMNS,
        max_rows: MAX_TOPICS,
    },
    required: true,
};

pub const WORKFLOW: Workflow = Workflow {
    kind: "opinion_report",
    prefix: "DL",
    label: "Báo cáo dư luận xã hội",
    create: Transition {
        action: "file",
        label: "Gửi báo cáo dư luận",
        to: Some("submitted"),
        who: &[Reporter],
        fields: &[PERIOD, TOPICS],
        starts: &["review"],
        ..Transition::NONE
    },
    expect: Some(Transition {
        action: "expect",
        label: "Đến kỳ báo cáo",
        to: Some("expected"),
        who: &[Reporter],
        fields: &[
            PERIOD,
            FieldSpec {
                name: "due_on",
                label: "Hạn gửi báo cáo",
                kind: FieldKind::Date(DateRange::Any),
                required: true,
            },
            FieldSpec {
                name: "remind_on",
                label: "Ngày nhắc gửi báo cáo",
                kind: FieldKind::Date(DateRange::Any),
                required: false,
            },
        ],
        ..Transition::NONE
    }),
    states: &[
        State::open("expected", "Chờ gửi báo cáo"),
        State::open("submitted", "Đã gửi"),
        State::open("returned", "Bị trả lại"),
        State::closed("accepted", "Đã tiếp nhận báo cáo"),
    ],
    transitions: &[
        Transition {
            action: "submit",
            label: "Gửi báo cáo dư luận",
            from: &["expected"],
            to: Some("submitted"),
            who: &[Reporter],
            fields: &[TOPICS],
            starts: &["review"],
            stops: &["file"],
            ..Transition::NONE
        },
        Transition {
            action: "accept",
            label: "Tiếp nhận báo cáo",
            from: &["submitted"],
            to: Some("accepted"),
            who: &[LeadStaff, Owner],
            fields: &[FieldSpec {
                name: "note",
                label: "Ghi chú",
                kind: FieldKind::Text,
                required: false,
            }],
            stops: &["review"],
            ..Transition::NONE
        },
        Transition {
            action: "return",
            label: "Trả lại báo cáo",
            from: &["submitted"],
            to: Some("returned"),
            who: &[LeadStaff, Owner],
            fields: &[FieldSpec {
                name: "note",
                label: "Lý do trả lại",
                kind: FieldKind::Text,
                required: true,
            }],
            starts: &["correct"],
            stops: &["review"],
            ..Transition::NONE
        },
        Transition {
            action: "resubmit",
            label: "Gửi lại báo cáo",
            from: &["returned"],
            to: Some("submitted"),
            who: &[Reporter],
            fields: &[
                TOPICS,
                FieldSpec {
                    name: "note",
                    label: "Đã sửa những gì",
                    kind: FieldKind::Text,
                    required: false,
                },
            ],
            starts: &["review"],
            stops: &["correct"],
            ..Transition::NONE
        },
        Transition::comment(
            &["expected", "submitted", "returned", "accepted"],
            &[Reporter, Owner, LeadStaff],
        ),
    ],
    clocks: &[
        ClockSpec {
            code: "file",
            label: "Gửi báo cáo dư luận",
            days: Days::SetByKind,
            party: Reporter,
        },
        ClockSpec {
            code: "review",
            label: "Xem xét báo cáo dư luận",
            days: Days::Working(5),
            party: LeadStaff,
        },
        ClockSpec {
            code: "correct",
            label: "Sửa và gửi lại báo cáo",
            days: Days::Working(3),
            party: Reporter,
        },
    ],
    parties: &[
        PartyDecl::new(Reporter, "Cộng tác viên"),
        PartyDecl::new(Owner, "Cơ quan quản lý cộng tác viên"),
        PartyDecl::new(LeadStaff, "Cơ quan chủ trì"),
    ],
    columns: &["period"],
    lead_names_owner: false,
    assignee_field: None,
    hooks: &Hooks {
        private: &[],
        opened: Some(filing::opened),
        acted: Some(filing::acted),
        facts: Some(filing::facts),
        daily: Some(expected::daily),
        labels: filing::LABELS,
        routes: Some(super::pages::routes),
        nav: &[NavLink {
            href: "/reports/opinion",
            label: "Dư luận xã hội",
            shown: |actor| actor.can(Action::ViewOpinionRollUp, Scope::Installation),
        }],
        home: Some(super::panel::home),
    },
    demo: Some(super::demo::script),
};
