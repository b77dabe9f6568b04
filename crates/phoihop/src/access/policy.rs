//! The permission policy: who may do what to what, in one place.
//!
//! Every check in the application asks [`allows`]. Scope is the relation between the
//! person's organisation and the organisation the thing belongs to; handlers compute
//! it with [`crate::org::scope_of`] and never compare roles themselves.

use super::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See the directory of organisations: the staff of the lead body and the agencies.
    /// Collaborators are people outside them and see only their own work.
    ViewOrganisations,
    /// Create, rename, merge organisations.
    ManageOrganisations,
    /// See people (names, roles, contacts) of an organisation.
    ViewPeople,
    /// Create accounts, change roles, lock accounts.
    ManagePeople,
    /// Localities and fields.
    ManageReferenceData,
    /// Browse the audit trail.
    ViewAudit,
    /// Report, follow and act on cases, with the lists, exports and "my work" of one's
    /// organisation (which cases is the case engine's affair).
    WorkOnCases,
    /// Open a case one is a party to and take the actions its kind allows one: what
    /// working on cases allows, and a collaborator's own reports. The engine's parties
    /// decide which cases; anyone else gets 404, as for a case that does not exist.
    OpenCases,
    /// Set a collaborator's reporting schedule (lịch báo cáo định kỳ), in the scope of
    /// the organisation they are registered under.
    ScheduleReports,
    /// See the roll-up of the public-opinion reports of a period: the lead body's staff
    /// for any organisation, an agency's liaison or leader for their own only.
    ViewOpinionRollUp,
}

/// Where the target sits relative to the person asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The person's own organisation.
    OwnOrganisation,
    /// A unit or office below the person's organisation.
    BelowOwn,
    /// Anything else.
    Elsewhere,
    /// Not tied to an organisation (the whole installation).
    Installation,
}

pub fn allows(role: Role, action: Action, scope: Scope) -> bool {
    use Action::*;
    use Role::*;
    use Scope::*;
    match (action, role) {
        (ViewOrganisations, Collaborator) => false,
        (ViewOrganisations, _) => true,
        (ManageOrganisations | ManagePeople | ManageReferenceData, Admin) => true,
        (ManageOrganisations | ManagePeople | ManageReferenceData, _) => false,
        (ViewAudit, Admin | Leader) => true,
        (ViewAudit, _) => false,
        // The lead body coordinates everyone, so it sees everyone.
        (ViewPeople, Admin | Leader | Specialist) => true,
        // Agency people see their own agency and its units.
        (ViewPeople, Liaison | AgencyLeader | Editor | Approver) => {
            matches!(scope, OwnOrganisation | BelowOwn)
        }
        (ViewPeople, UnitOfficer) => scope == OwnOrganisation,
        (ViewPeople, Collaborator) => false,
        (WorkOnCases, Leader | Specialist | Liaison | AgencyLeader | UnitOfficer) => true,
        (WorkOnCases, Admin | Collaborator | Editor | Approver) => false,
        // A collaborator opens their own reports only: no case gives them an
        // organisation's party (`case::model::parties`), whatever their organisation.
        (OpenCases, Leader | Specialist | Liaison | AgencyLeader | UnitOfficer | Collaborator) => {
            true
        }
        (OpenCases, Admin | Editor | Approver) => false,
        // The lead body coordinates every collaborator; an agency, those registered
        // under it and its units.
        (ScheduleReports, Admin | Leader | Specialist) => true,
        (ScheduleReports, Liaison | AgencyLeader) => matches!(scope, OwnOrganisation | BelowOwn),
        (ScheduleReports, UnitOfficer | Collaborator | Editor | Approver) => false,
        (ViewOpinionRollUp, Leader | Specialist) => true,
        (ViewOpinionRollUp, Liaison | AgencyLeader) => scope == OwnOrganisation,
        (ViewOpinionRollUp, Admin | UnitOfficer | Collaborator | Editor | Approver) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::Action::*;
    use super::Scope::*;
    use super::*;

    /// The policy as a table: role, action, scope, allowed. Every role appears for
    /// every action in at least one scope.
    const TABLE: &[(Role, Action, Scope, bool)] = &[
        (Role::Admin, ManageOrganisations, Installation, true),
        (Role::Admin, ManagePeople, Elsewhere, true),
        (Role::Admin, ManageReferenceData, Installation, true),
        (Role::Admin, ViewAudit, Installation, true),
        (Role::Admin, ViewPeople, Elsewhere, true),
        (Role::Leader, ManageOrganisations, Installation, false),
        (Role::Leader, ManagePeople, OwnOrganisation, false),
        (Role::Leader, ManageReferenceData, Installation, false),
        (Role::Leader, ViewAudit, Installation, true),
        (Role::Leader, ViewPeople, Elsewhere, true),
        (Role::Specialist, ManageOrganisations, Installation, false),
        (Role::Specialist, ManagePeople, OwnOrganisation, false),
        (Role::Specialist, ViewAudit, Installation, false),
        (Role::Specialist, ViewPeople, Elsewhere, true),
        (Role::Liaison, ManagePeople, OwnOrganisation, false),
        (Role::Liaison, ViewAudit, Installation, false),
        (Role::Liaison, ViewPeople, OwnOrganisation, true),
        (Role::Liaison, ViewPeople, BelowOwn, true),
        (Role::Liaison, ViewPeople, Elsewhere, false),
        (Role::AgencyLeader, ViewPeople, BelowOwn, true),
        (Role::AgencyLeader, ViewPeople, Elsewhere, false),
        (Role::AgencyLeader, ManagePeople, OwnOrganisation, false),
        (Role::AgencyLeader, ViewAudit, Installation, false),
        (Role::AgencyLeader, WorkOnCases, Installation, true),
        (Role::UnitOfficer, ViewPeople, OwnOrganisation, true),
        (Role::UnitOfficer, ViewPeople, BelowOwn, false),
        (Role::UnitOfficer, ViewPeople, Elsewhere, false),
        (Role::UnitOfficer, ManageReferenceData, Installation, false),
        (Role::Collaborator, ViewPeople, OwnOrganisation, false),
        (Role::Collaborator, ViewAudit, Installation, false),
        (Role::Collaborator, ViewOrganisations, Installation, false),
        (Role::Collaborator, WorkOnCases, Installation, false),
        (Role::Collaborator, OpenCases, Installation, true),
        (Role::Collaborator, ScheduleReports, OwnOrganisation, false),
        (Role::Collaborator, ManagePeople, OwnOrganisation, false),
        (Role::Liaison, OpenCases, Installation, true),
        (Role::Admin, OpenCases, Installation, false),
        (Role::Editor, OpenCases, Installation, false),
        (Role::Admin, ScheduleReports, Elsewhere, true),
        (Role::Specialist, ScheduleReports, Elsewhere, true),
        (Role::Liaison, ScheduleReports, OwnOrganisation, true),
        (Role::Liaison, ScheduleReports, BelowOwn, true),
        (Role::Liaison, ScheduleReports, Elsewhere, false),
        (Role::AgencyLeader, ScheduleReports, Elsewhere, false),
        (Role::UnitOfficer, ScheduleReports, OwnOrganisation, false),
        (Role::Editor, ViewPeople, OwnOrganisation, true),
        (Role::Editor, ViewPeople, Elsewhere, false),
        (Role::Editor, ManagePeople, OwnOrganisation, false),
        (Role::Approver, ViewPeople, BelowOwn, true),
        (Role::Approver, ViewAudit, Installation, false),
        (Role::Specialist, WorkOnCases, Installation, true),
        (Role::Liaison, WorkOnCases, Installation, true),
        (Role::UnitOfficer, WorkOnCases, Installation, true),
        (Role::Admin, WorkOnCases, Installation, false),
        (Role::Editor, WorkOnCases, Installation, false),
        (Role::Specialist, ViewOpinionRollUp, Elsewhere, true),
        (Role::Leader, ViewOpinionRollUp, Installation, true),
        (Role::Liaison, ViewOpinionRollUp, OwnOrganisation, true),
        (Role::Liaison, ViewOpinionRollUp, BelowOwn, false),
        (Role::AgencyLeader, ViewOpinionRollUp, Elsewhere, false),
        (
            Role::Collaborator,
            ViewOpinionRollUp,
            OwnOrganisation,
            false,
        ),
        (Role::Admin, ViewOpinionRollUp, Installation, false),
    ];

    #[test]
    fn policy_table_holds() {
        for &(role, action, scope, want) in TABLE {
            assert_eq!(
                allows(role, action, scope),
                want,
                "{role:?} {action:?} {scope:?}"
            );
        }
    }

    #[test]
    fn only_administrators_change_accounts_and_organisations_anywhere() {
        for role in Role::ALL {
            for scope in [OwnOrganisation, BelowOwn, Elsewhere, Installation] {
                for action in [ManageOrganisations, ManagePeople, ManageReferenceData] {
                    assert_eq!(
                        allows(role, action, scope),
                        role == Role::Admin,
                        "{role:?} {action:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn everyone_but_collaborators_sees_the_directory_of_organisations() {
        for role in Role::ALL {
            assert_eq!(
                allows(role, ViewOrganisations, Installation),
                role != Role::Collaborator,
                "{role:?}"
            );
        }
    }

    /// A collaborator is usually outside any agency: whatever their organisation, the
    /// policy gives them their own reports and nothing of anyone else's.
    #[test]
    fn a_collaborator_may_open_only_their_own_cases_and_nothing_else() {
        let all = [
            ViewOrganisations,
            ManageOrganisations,
            ViewPeople,
            ManagePeople,
            ManageReferenceData,
            ViewAudit,
            WorkOnCases,
            OpenCases,
            ScheduleReports,
            ViewOpinionRollUp,
        ];
        for action in all {
            for scope in [OwnOrganisation, BelowOwn, Elsewhere, Installation] {
                assert_eq!(
                    allows(Role::Collaborator, action, scope),
                    action == OpenCases,
                    "{action:?} {scope:?}"
                );
            }
        }
    }

    #[test]
    fn whoever_works_on_cases_may_open_them() {
        for role in Role::ALL {
            if allows(role, WorkOnCases, Installation) {
                assert!(allows(role, OpenCases, Installation), "{role:?}");
            }
        }
    }
}
