//! The roles people hold (vai trò), as a closed set: what a person does in the program,
//! and so what the policy lets them do.

use crate::i18n::{Lang, tr};

/// What a person does in the program; one per account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Quản trị hệ thống: organisations, accounts, reference data, backups.
    Admin,
    /// Lãnh đạo Ban: sees everything, approves orientations and reports.
    Leader,
    /// Chuyên viên Ban: runs programs, receives incidents, drafts orientations.
    Specialist,
    /// Đầu mối sở, ngành: reports and answers for one agency.
    Liaison,
    /// Lãnh đạo sở, ngành: an agency's leader; works its cases like its liaison and is
    /// told when the agency misses a deadline.
    AgencyLeader,
    /// Cán bộ đơn vị trực thuộc: works the cases of one unit.
    UnitOfficer,
    /// Cộng tác viên dư luận xã hội: files public-opinion reports, sees only their own.
    Collaborator,
    /// Biên tập viên: writes portal news.
    Editor,
    /// Người duyệt: approves portal news.
    Approver,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::Admin,
        Role::Leader,
        Role::Specialist,
        Role::Liaison,
        Role::AgencyLeader,
        Role::UnitOfficer,
        Role::Collaborator,
        Role::Editor,
        Role::Approver,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Leader => "leader",
            Role::Specialist => "specialist",
            Role::Liaison => "liaison",
            Role::AgencyLeader => "agency_leader",
            Role::UnitOfficer => "unit_officer",
            Role::Collaborator => "collaborator",
            Role::Editor => "editor",
            Role::Approver => "approver",
        }
    }

    pub fn parse(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Role::Admin => "Quản trị hệ thống",
            Role::Leader => "Lãnh đạo Ban",
            Role::Specialist => "Chuyên viên Ban",
            Role::Liaison => "Đầu mối sở, ngành",
            Role::AgencyLeader => "Lãnh đạo sở, ngành",
            Role::UnitOfficer => "Cán bộ đơn vị trực thuộc",
            Role::Collaborator => "Cộng tác viên dư luận xã hội",
            Role::Editor => "Biên tập viên",
            Role::Approver => "Người duyệt tin bài",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        tr(lang, self.label_vi())
    }
}
