//! A kind that exists only in tests, with a field of every type, so that forms, pages,
//! the API and its document are exercised on all of them before a shipped kind uses
//! them. Its labels are the product's own words (what a public-opinion report or a
//! complaint will ask), with their English.
//!
//! open → followed_up → closed

use crate::case::workflow::{
    Choice, ClockSpec, DateRange, FieldKind, FieldSpec, Hooks, Party, PartyDecl, State, Transition,
    Workflow,
};

use Party::*;

pub const ATTITUDES: &[Choice] = &[
    Choice {
        code: "supportive",
        label: "Đồng tình",
    },
    Choice {
        code: "concerned",
        label: "Băn khoăn, lo lắng",
    },
    Choice {
        code: "negative",
        label: "Phản đối",
    },
    Choice {
        code: "mixed",
        label: "Trái chiều",
    },
];

pub const LEVELS: &[Choice] = &[
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

const AREA: FieldSpec = FieldSpec {
    name: "area",
    label: "Lĩnh vực",
    kind: FieldKind::FieldOfWork,
    required: false,
};

const PLACE: FieldSpec = FieldSpec {
    name: "place",
    label: "Địa bàn",
    kind: FieldKind::Locality,
    required: false,
};

const TOPICS: &[FieldSpec] = &[
    FieldSpec {
        name: "topic",
        label: "Chủ đề",
        kind: FieldKind::Line,
        required: true,
    },
    AREA,
    PLACE,
    FieldSpec {
        name: "attitude",
        label: "Thái độ của dư luận",
        kind: FieldKind::Choice(ATTITUDES),
        required: false,
    },
    FieldSpec {
        name: "people",
        label: "Số người có ý kiến",
        kind: FieldKind::Number {
            min: 0,
            max: 1_000_000,
        },
        required: false,
    },
    FieldSpec {
        name: "opinions",
        label: "Ý kiến tiêu biểu",
        kind: FieldKind::Text,
        required: false,
    },
];

const NOTE: FieldSpec = FieldSpec {
    name: "note",
    label: "Ghi chú",
    kind: FieldKind::Text,
    required: false,
};

pub const WORKFLOW: Workflow = Workflow {
    kind: "sample",
    prefix: "TN",
    label: "Hồ sơ thử nghiệm",
    create: Transition {
        action: "open",
        label: "Mở hồ sơ thử nghiệm",
        to: Some("open"),
        who: &[Owner, LeadStaff],
        fields: &[
            FieldSpec {
                name: "summary",
                label: "Tóm tắt",
                kind: FieldKind::Line,
                required: false,
            },
            FieldSpec {
                name: "occurred_on",
                label: "Ngày xảy ra",
                kind: FieldKind::Date(DateRange::UpToToday),
                required: false,
            },
            FieldSpec {
                name: "people_affected",
                label: "Số người liên quan",
                kind: FieldKind::Number {
                    min: 0,
                    max: 1_000_000,
                },
                required: false,
            },
            FieldSpec {
                name: "level",
                label: "Cấp giải quyết",
                kind: FieldKind::Choice(LEVELS),
                required: false,
            },
            FieldSpec {
                name: "handling_org",
                label: "Cơ quan giải quyết",
                kind: FieldKind::Organisation,
                required: false,
            },
            FieldSpec {
                name: "officer",
                label: "Cán bộ theo dõi",
                kind: FieldKind::Person,
                required: false,
            },
            PLACE,
            AREA,
            FieldSpec {
                name: "phone",
                label: "Số điện thoại liên hệ",
                kind: FieldKind::Phone,
                required: false,
            },
            FieldSpec {
                name: "email",
                label: "Thư điện tử liên hệ",
                kind: FieldKind::Email,
                required: false,
            },
            FieldSpec {
                name: "topics",
                label: "Các chủ đề dư luận",
                kind: FieldKind::Rows {
                    columns: TOPICS,
                    max_rows: 20,
                },
                required: false,
            },
        ],
        ..Transition::NONE
    },
    expect: None,
    states: &[
        State::open("open", "Đang mở"),
        State::open("followed_up", "Đã theo dõi"),
        State::closed("closed", "Đã đóng"),
    ],
    transitions: &[
        Transition {
            action: "follow_up",
            label: "Theo dõi",
            from: &["open"],
            to: Some("followed_up"),
            who: &[LeadStaff],
            fields: &[
                FieldSpec {
                    name: "reply_by",
                    label: "Hạn trả lời",
                    kind: FieldKind::Date(DateRange::FromToday),
                    required: true,
                },
                FieldSpec {
                    name: "earlier",
                    label: "Vụ việc trước đó",
                    kind: FieldKind::Case("incident"),
                    required: false,
                },
                FieldSpec {
                    name: "incidents",
                    label: "Vụ việc liên quan",
                    kind: FieldKind::Cases("incident"),
                    required: false,
                },
                FieldSpec {
                    name: "addressees",
                    label: "Cơ quan được hỏi ý kiến",
                    kind: FieldKind::Organisations,
                    required: false,
                },
                NOTE,
            ],
            ..Transition::NONE
        },
        Transition {
            action: "close",
            label: "Đóng",
            from: &["open", "followed_up"],
            to: Some("closed"),
            who: &[LeadStaff],
            fields: &[NOTE],
            ..Transition::NONE
        },
    ],
    clocks: &[] as &[ClockSpec],
    parties: &[
        PartyDecl::new(Owner, "Cơ quan báo cáo"),
        PartyDecl::new(Assignee, "Cơ quan giải quyết"),
        PartyDecl::new(LeadStaff, "Cơ quan chủ trì"),
    ],
    columns: &[],
    lead_names_owner: true,
    assignee_field: None,
    hooks: &Hooks::NONE,
    demo: None,
};

/// The field `name` of this kind, for tests of one type.
pub fn field(name: &str) -> FieldSpec {
    *WORKFLOW
        .field(name)
        .unwrap_or_else(|| panic!("the sample kind has no field {name}"))
}
