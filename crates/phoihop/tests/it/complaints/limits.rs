//! The installation's own time limits: changed by an administrator, audited.

use phoihop::audit::Who;
use phoihop::case::kinds::complaint::limit_settings::{self, LimitForm};
use phoihop::case::kinds::complaint::limits::Counting;
use phoihop::error::Error;

use super::*;
use crate::support::*;

#[test]
fn an_administrator_changes_a_limit_while_others_may_not() {
    let app = spawn_app();
    let db = app.db();
    let admin = actor(&db, "admin");
    let who = Who {
        user_id: Some(admin.user_id),
        name: admin.name.clone(),
        org_id: Some(admin.org_id),
        ip: "127.0.0.1".into(),
    };
    let form = |days: &str, counting: &str, basis: &str| LimitForm {
        days: days.into(),
        counting: counting.into(),
        basis: basis.into(),
    };
    let change = |role, code: &str, f: &LimitForm| {
        db.write_blocking(|c| limit_settings::change(c, &who, role, code, f))
    };
    let good = form("10", "working", "Quyết định 15/2026/QĐ-UBND của tỉnh");
    assert!(matches!(
        change(
            phoihop::access::Role::Specialist,
            "complaint_acceptance",
            &good
        ),
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        change(admin.role, "no_such_limit", &good),
        Err(Error::NotFound)
    ));
    match change(
        admin.role,
        "complaint_acceptance",
        &form("0", "weekly", " "),
    ) {
        Err(Error::Invalid(e)) => {
            assert_eq!(
                e.0.iter().map(|(f, _)| *f).collect::<Vec<_>>(),
                ["days", "counting", "basis"]
            )
        }
        other => panic!("{other:?}"),
    }
    change(admin.role, "complaint_acceptance", &good).expect("changed");
    change(admin.role, "complaint_acceptance", &good).expect("changed again, same values");
    let limits = db.read_blocking(limit_settings::load).expect("limits");
    let acceptance = limits.get("complaint_acceptance").expect("declared");
    assert_eq!(
        (acceptance.days, acceptance.counting),
        (10, Counting::Working)
    );
    let change = acceptance.changed.as_ref().expect("changed");
    assert_eq!(change.basis, "Quyết định 15/2026/QĐ-UBND của tỉnh");
    assert!(
        limits
            .get("complaint_first_round")
            .is_some_and(|l| l.changed.is_none())
    );
    let audited: Vec<String> = db
        .read_blocking(|c| {
            c.query(
                "SELECT detail FROM audit_log WHERE action = 'complaint_limit_changed' ORDER BY id",
                &[],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect::<std::result::Result<_, _>>()
        })
        .expect("audit");
    assert_eq!(audited.len(), 2);
    assert!(
        audited[0].contains("10 ngày → 10 ngày làm việc"),
        "{}",
        audited[0]
    );
}
