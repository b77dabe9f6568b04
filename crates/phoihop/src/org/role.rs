//! The kinds of organisation, as closed sets: the body type (Party, State,
//! association) and the place in the program. The roles people hold are
//! [`crate::access::Role`].

/// Party body, state body or association: decides the document layout a body issues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyType {
    /// Cơ quan Đảng (Guideline 36-HD/VPTW).
    Party,
    /// Cơ quan nhà nước (Decree 30/2020/NĐ-CP).
    State,
    /// Hội, đoàn thể.
    Association,
}

impl BodyType {
    pub const ALL: [BodyType; 3] = [BodyType::Party, BodyType::State, BodyType::Association];

    pub fn code(self) -> &'static str {
        match self {
            BodyType::Party => "party",
            BodyType::State => "state",
            BodyType::Association => "association",
        }
    }

    pub fn parse(code: &str) -> Option<BodyType> {
        BodyType::ALL.into_iter().find(|b| b.code() == code)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            BodyType::Party => "Cơ quan Đảng",
            BodyType::State => "Cơ quan nhà nước",
            BodyType::Association => "Hội, đoàn thể",
        }
    }
}

/// The place of an organisation in the program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrgRole {
    /// Cơ quan chủ trì: the lead body.
    Lead,
    /// Cơ quan phối hợp: a partner agency.
    Partner,
    /// Phòng, ban chuyên môn: an office inside a body.
    Office,
    /// Đơn vị trực thuộc: a subordinate unit of an agency.
    Unit,
}

impl OrgRole {
    pub const ALL: [OrgRole; 4] = [
        OrgRole::Lead,
        OrgRole::Partner,
        OrgRole::Office,
        OrgRole::Unit,
    ];

    pub fn code(self) -> &'static str {
        match self {
            OrgRole::Lead => "lead",
            OrgRole::Partner => "partner",
            OrgRole::Office => "office",
            OrgRole::Unit => "unit",
        }
    }

    pub fn parse(code: &str) -> Option<OrgRole> {
        OrgRole::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            OrgRole::Lead => "Cơ quan chủ trì",
            OrgRole::Partner => "Cơ quan phối hợp",
            OrgRole::Office => "Phòng, ban chuyên môn",
            OrgRole::Unit => "Đơn vị trực thuộc",
        }
    }
}
