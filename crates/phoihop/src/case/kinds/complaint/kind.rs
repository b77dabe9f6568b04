//! The complaint kind as the engine runs it: a letter is received and registered,
//! accepted for handling (thụ lý) or declined or passed on, extended where the law
//! allows, and resolved. Its two clocks are the legal limits of [`super::limits`],
//! dated by its hooks ([`super::opening`]) in calendar or working days as the law counts.
//!
//! received → accepted → resolved; received → declined | transferred

use crate::case::workflow::{
    Choice, ClockSpec, DateRange, Days, FieldKind, FieldSpec, Hooks, Party, PartyDecl, State,
    Transition, Workflow,
};

use super::complainant::MAX_PER_LETTER;
use super::opening;
use crate::access::Role;
use crate::kit::NavLink;
use Party::*;

const NOTE: FieldSpec = FieldSpec {
    name: "note",
    label: "Ghi chú",
    kind: FieldKind::Text,
    required: false,
};

pub(super) const LETTER_TYPES: &[Choice] = &[
    Choice {
        code: "complaint",
        label: "Khiếu nại",
    },
    Choice {
        code: "denunciation",
        label: "Tố cáo",
    },
    Choice {
        code: "recommendation",
        label: "Kiến nghị",
    },
    Choice {
        code: "report",
        label: "Phản ánh",
    },
];

pub(super) const LEVELS: &[Choice] = &[
    Choice {
        code: "commune",
        label: "Cấp xã",
    },
    Choice {
        code: "province",
        label: "Cấp tỉnh",
    },
    Choice {
        code: "central",
        label: "Trung ương",
    },
];

/// Who sent it: personal data, kept out of the case (`Hooks::private`).
const COMPLAINANT_COLUMNS: &[FieldSpec] = &[
    FieldSpec {
        name: "name",
        label: "Họ và tên",
        kind: FieldKind::Line,
        required: true,
    },
    FieldSpec {
        name: "address",
        label: "Địa chỉ",
        kind: FieldKind::Line,
        required: false,
    },
    FieldSpec {
        name: "locality",
        label: "Địa bàn",
        kind: FieldKind::Locality,
        required: false,
    },
    FieldSpec {
        name: "phone",
        label: "Số điện thoại",
        kind: FieldKind::Phone,
        required: false,
    },
    FieldSpec {
        name: "email",
        label: "Thư điện tử",
        kind: FieldKind::Email,
        required: false,
    },
    FieldSpec {
        name: "identity_number",
        label: "Số định danh cá nhân",
        kind: FieldKind::Line,
        required: false,
    },
];

const YES_NO: &[Choice] = &[
    Choice {
        code: "no",
        label: "Không",
    },
    Choice {
        code: "yes",
        label: "Có",
    },
];

const STATES: &[&str] = &[
    "received",
    "accepted",
    "declined",
    "transferred",
    "resolved",
];

pub const WORKFLOW: Workflow = Workflow {
    kind: super::KIND,
    prefix: "DT",
    label: "Đơn thư",
    create: Transition {
        action: "register",
        label: "Vào sổ đơn thư",
        to: Some("received"),
        who: &[Owner, LeadStaff],
        fields: &[
            FieldSpec {
                name: "letter_type",
                label: "Loại đơn",
                kind: FieldKind::Choice(LETTER_TYPES),
                required: true,
            },
            FieldSpec {
                name: "level",
                label: "Cấp giải quyết",
                kind: FieldKind::Choice(LEVELS),
                required: true,
            },
            FieldSpec {
                name: "handling_org",
                label: "Cơ quan giải quyết",
                kind: FieldKind::Organisation,
                required: true,
            },
            FieldSpec {
                name: "received_on",
                label: "Ngày nhận đơn",
                kind: FieldKind::Date(DateRange::UpToToday),
                required: true,
            },
            FieldSpec {
                name: "complainants",
                label: "Người gửi đơn",
                kind: FieldKind::Rows {
                    columns: COMPLAINANT_COLUMNS,
                    max_rows: MAX_PER_LETTER,
                },
                required: true,
            },
        ],
        ..Transition::NONE
    },
    expect: None,
    states: &[
        State::open("received", "Đã vào sổ"),
        State::open("accepted", "Đã thụ lý"),
        State::closed("declined", "Không thụ lý"),
        State::closed("transferred", "Đã chuyển đơn"),
        State::closed("resolved", "Đã giải quyết"),
    ],
    transitions: &[
        Transition {
            action: "accept",
            label: "Thụ lý đơn",
            from: &["received"],
            to: Some("accepted"),
            who: &[Assignee, LeadStaff],
            fields: &[
                FieldSpec {
                    name: "round",
                    label: "Lần giải quyết",
                    kind: FieldKind::Choice(&[
                        Choice {
                            code: "first",
                            label: "Lần đầu",
                        },
                        Choice {
                            code: "second",
                            label: "Lần hai",
                        },
                    ]),
                    required: false,
                },
                FieldSpec {
                    name: "complex",
                    label: "Vụ việc phức tạp",
                    kind: FieldKind::Choice(YES_NO),
                    required: false,
                },
                FieldSpec {
                    name: "remote",
                    label: "Vùng sâu, vùng xa, đi lại khó khăn",
                    kind: FieldKind::Choice(YES_NO),
                    required: false,
                },
                NOTE,
            ],
            stops: &["acceptance"],
            ..Transition::NONE
        },
        Transition {
            action: "decline",
            label: "Không thụ lý",
            from: &["received"],
            to: Some("declined"),
            who: &[Assignee, LeadStaff],
            fields: &[FieldSpec {
                name: "note",
                label: "Lý do không thụ lý",
                kind: FieldKind::Text,
                required: true,
            }],
            stops: &["acceptance"],
            ..Transition::NONE
        },
        Transition {
            action: "transfer",
            label: "Chuyển đơn",
            from: &["received"],
            to: Some("transferred"),
            who: &[Assignee, LeadStaff],
            fields: &[
                FieldSpec {
                    name: "transferred_to",
                    label: "Chuyển đến cơ quan",
                    kind: FieldKind::Organisation,
                    required: true,
                },
                NOTE,
            ],
            stops: &["acceptance"],
            ..Transition::NONE
        },
        Transition {
            action: "extend",
            label: "Gia hạn giải quyết",
            from: &["accepted"],
            who: &[Assignee, LeadStaff],
            fields: &[FieldSpec {
                name: "note",
                label: "Lý do gia hạn",
                kind: FieldKind::Text,
                required: true,
            }],
            ..Transition::NONE
        },
        Transition {
            action: "resolve",
            label: "Giải quyết xong",
            from: &["accepted"],
            to: Some("resolved"),
            who: &[Assignee, LeadStaff],
            fields: &[FieldSpec {
                name: "conclusion",
                label: "Kết quả giải quyết",
                kind: FieldKind::Text,
                required: true,
            }],
            stops: &["resolution"],
            ..Transition::NONE
        },
        Transition::comment(STATES, &[Owner, Assignee, LeadStaff]),
    ],
    clocks: &[
        ClockSpec {
            code: "acceptance",
            label: "Thụ lý đơn",
            days: Days::SetByKind,
            party: Assignee,
        },
        ClockSpec {
            code: "resolution",
            label: "Giải quyết đơn",
            days: Days::SetByKind,
            party: Assignee,
        },
    ],
    parties: &[
        PartyDecl::new(Owner, "Nơi tiếp nhận đơn"),
        PartyDecl::new(Assignee, "Cơ quan giải quyết"),
        PartyDecl::new(LeadStaff, "Cơ quan chủ trì"),
    ],
    columns: &["letter_type", "level", "received_on"],
    lead_names_owner: false,
    assignee_field: Some("handling_org"),
    hooks: &Hooks {
        private: &["complainants"],
        opened: Some(opening::opened),
        acted: Some(opening::acted),
        facts: Some(opening::facts),
        daily: None,
        labels: opening::LABELS,
        routes: Some(super::pages::routes),
        nav: &[NavLink {
            href: "/complaints/escalations",
            label: "Đơn thư vượt cấp",
            // The lead body, and agencies for the letters they handle.
            shown: |actor| {
                matches!(
                    actor.role,
                    Role::Leader | Role::Specialist | Role::Liaison | Role::AgencyLeader
                )
            },
        }],
        home: None,
    },
    demo: Some(super::demo::script),
};
