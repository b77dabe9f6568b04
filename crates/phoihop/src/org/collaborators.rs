//! Collaborators (cộng tác viên dư luận xã hội) in the registry: what each one covers,
//! the localities (communes, wards and special zones of the province) and the fields
//! of work. A collaborator is an account with the role [`Role::Collaborator`],
//! registered under an organisation (an agency or the lead body) like anyone else, and
//! usually a person outside it; the people pages register them and this module keeps
//! their coverage. Each locality or field is a row from when it was added to when it
//! was removed, never deleted (migration 0013), so that the roll-up of a past period
//! knows whom a locality had then. No field means every field. Their reporting
//! schedules belong to the public-opinion report kind (`case::kinds::opinion_report`).
//!
//! [`Role::Collaborator`]: crate::access::Role::Collaborator

use crate::clock;
use crate::db::Conn;
use crate::error::{FieldErrors, Result};
use crate::params;
use crate::refdata;

/// The most localities (and fields) one collaborator is registered for: a province
/// has a few hundred communes and wards; more is a forged form.
pub const MAX_CHOSEN: usize = 300;

/// What a collaborator covers, as chosen on a form: ids, checked against the database
/// by [`register`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    pub localities: Vec<i64>,
    pub fields: Vec<i64>,
}

impl Coverage {
    /// Reads the ids a form sent (one `localities=` or `fields=` pair per chosen
    /// option). At least one locality; `None` when anything is wrong, with its message
    /// in `errors`.
    pub fn parse(
        localities: &[String],
        fields: &[String],
        errors: &mut FieldErrors,
    ) -> Option<Coverage> {
        let localities = errors.check("localities", ids(localities));
        let fields = errors.check("fields", ids(fields));
        match localities {
            Some(l) if l.is_empty() => {
                errors.add(
                    "localities",
                    "Chọn ít nhất một xã, phường hoặc đặc khu mà cộng tác viên theo dõi.",
                );
                None
            }
            Some(localities) => Some(Coverage {
                localities,
                fields: fields?,
            }),
            None => None,
        }
    }
}

fn ids(values: &[String]) -> Result<Vec<i64>, crate::i18n::Msg> {
    let mut out: Vec<i64> = Vec::new();
    for value in values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()) {
        let id = value
            .parse()
            .map_err(|_| "Lựa chọn không hợp lệ; xin chọn lại trong danh sách.")?;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    if out.len() > MAX_CHOSEN {
        return Err("Chọn quá nhiều (tối đa 300).");
    }
    Ok(out)
}

/// A locality or field as a collaborator's page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    pub id: i64,
    pub name: String,
}

/// What a collaborator covers now, with names.
#[derive(Debug, Clone, Default)]
pub struct Covered {
    pub localities: Vec<Named>,
    /// Empty: every field.
    pub fields: Vec<Named>,
}

impl Covered {
    /// The localities' names, as the audit trail records them.
    fn locality_names(&self) -> String {
        names(&self.localities)
    }

    /// The fields' names, or "every field", as the audit trail records them.
    fn field_names(&self) -> String {
        if self.fields.is_empty() {
            "mọi lĩnh vực".to_owned()
        } else {
            names(&self.fields)
        }
    }

    fn coverage(&self) -> Coverage {
        Coverage {
            localities: self.localities.iter().map(|n| n.id).collect(),
            fields: self.fields.iter().map(|n| n.id).collect(),
        }
    }
}

fn names(list: &[Named]) -> String {
    if list.is_empty() {
        return "—".to_owned();
    }
    list.iter()
        .map(|n| n.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What `user_id` covers now (nothing for someone who is not a collaborator).
pub fn current(conn: &mut dyn Conn, user_id: i64) -> Result<Covered> {
    let named = |conn: &mut dyn Conn, sql: &str| -> Result<Vec<Named>> {
        conn.query(sql, params![user_id])?
            .iter()
            .map(|r| {
                Ok(Named {
                    id: r.get(0)?,
                    name: r.get(1)?,
                })
            })
            .collect()
    };
    let mut localities = named(
        conn,
        "SELECT l.id, l.name FROM collaborator_localities c
         JOIN localities l ON l.id = c.locality_id
         WHERE c.user_id = $1 AND c.removed_at IS NULL",
    )?;
    // In alphabetical order as people read it (Đ with D), the same on both databases,
    // whose collations differ.
    localities.sort_by_cached_key(|l| (vntext::fold(&l.name), l.name.clone()));
    Ok(Covered {
        localities,
        fields: named(
            conn,
            "SELECT f.id, f.name FROM collaborator_fields c JOIN fields f ON f.id = c.field_id
             WHERE c.user_id = $1 AND c.removed_at IS NULL ORDER BY f.position, f.name",
        )?,
    })
}

/// Every chosen locality is a current commune, ward or special zone, and every chosen
/// field is in use: field errors otherwise, on `localities` and `fields`.
pub fn check(conn: &mut dyn Conn, coverage: &Coverage) -> Result<()> {
    let mut errors = FieldErrors::new();
    let localities = refdata::localities(conn, true)?;
    for id in &coverage.localities {
        let problem = match localities.iter().find(|l| l.id == *id) {
            None => Some("Không có địa bàn này; xin chọn lại trong danh sách."),
            Some(l) if l.valid_to.is_some() => Some(
                "Có địa bàn đã chọn không còn hiệu lực (đã sắp xếp, sáp nhập); xin bỏ chọn địa bàn đó.",
            ),
            Some(l) if l.level == "province" => {
                Some("Chỉ chọn xã, phường hoặc đặc khu; cộng tác viên không theo dõi cả tỉnh.")
            }
            Some(_) => None,
        };
        if let Some(msg) = problem {
            errors.add("localities", msg);
            break;
        }
    }
    let fields = refdata::fields(conn, true)?;
    for id in &coverage.fields {
        let problem = match fields.iter().find(|f| f.id == *id) {
            None => Some("Không có lĩnh vực này; xin chọn lại trong danh sách."),
            Some(f) if !f.active => {
                Some("Có lĩnh vực đã chọn không còn được dùng; xin bỏ chọn lĩnh vực đó.")
            }
            Some(_) => None,
        };
        if let Some(msg) = problem {
            errors.add("fields", msg);
            break;
        }
    }
    errors.into_result()
}

/// Makes `coverage` what `user_id` covers from now on, after [`check`]ing it: rows no
/// longer chosen are closed, new ones added. Returns the change in words for the
/// audit trail (`địa bàn: A, B → A, C`), or `None` when nothing changed.
pub fn register(conn: &mut dyn Conn, user_id: i64, coverage: &Coverage) -> Result<Option<String>> {
    check(conn, coverage)?;
    let before = current(conn, user_id)?;
    let now = clock::now_ms();
    let old = before.coverage();
    for (table, column, had, wanted) in [
        (
            "collaborator_localities",
            "locality_id",
            &old.localities,
            &coverage.localities,
        ),
        (
            "collaborator_fields",
            "field_id",
            &old.fields,
            &coverage.fields,
        ),
    ] {
        // Table and column names are the constants above, never user text.
        for id in had.iter().filter(|id| !wanted.contains(id)) {
            conn.execute(
                &format!(
                    "UPDATE {table} SET removed_at = $1
                     WHERE user_id = $2 AND {column} = $3 AND removed_at IS NULL"
                ),
                params![now, user_id, *id],
            )?;
        }
        for id in wanted.iter().filter(|id| !had.contains(id)) {
            conn.execute(
                &format!("INSERT INTO {table} (user_id, {column}, added_at) VALUES ($1, $2, $3)"),
                params![user_id, *id, now],
            )?;
        }
    }
    let after = current(conn, user_id)?;
    Ok(change(&before, &after))
}

/// Closes everything `user_id` covers (their role is no longer collaborator); the
/// change in words, or `None` when they covered nothing.
pub fn end(conn: &mut dyn Conn, user_id: i64) -> Result<Option<String>> {
    let before = current(conn, user_id)?;
    let now = clock::now_ms();
    for table in ["collaborator_localities", "collaborator_fields"] {
        conn.execute(
            &format!(
                "UPDATE {table} SET removed_at = $1 WHERE user_id = $2 AND removed_at IS NULL"
            ),
            params![now, user_id],
        )?;
    }
    Ok(change(&before, &Covered::default()))
}

/// The difference between two coverages, as the audit trail records it.
fn change(before: &Covered, after: &Covered) -> Option<String> {
    let mut parts = Vec::new();
    if before.localities != after.localities {
        parts.push(format!(
            "địa bàn: {} → {}",
            before.locality_names(),
            after.locality_names()
        ));
    }
    if before.fields != after.fields {
        parts.push(format!(
            "lĩnh vực: {} → {}",
            before.field_names(),
            after.field_names()
        ));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    #[test]
    fn a_collaborator_covers_at_least_one_locality() {
        let mut errors = FieldErrors::new();
        assert_eq!(Coverage::parse(&[], &strings(&["1"]), &mut errors), None);
        assert!(
            errors
                .get("localities")
                .is_some_and(|m| m.contains("ít nhất"))
        );
    }

    #[test]
    fn chosen_ids_are_read_once_each_and_fields_may_be_left_out() {
        let mut errors = FieldErrors::new();
        let coverage = Coverage::parse(&strings(&["3", " 3", "", "5"]), &[], &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            coverage,
            Some(Coverage {
                localities: vec![3, 5],
                fields: vec![]
            })
        );
    }

    #[test]
    fn a_forged_choice_is_refused_with_a_message() {
        let mut errors = FieldErrors::new();
        assert_eq!(
            Coverage::parse(&strings(&["1"]), &strings(&["y-te"]), &mut errors),
            None
        );
        assert!(errors.get("fields").is_some());
        let many: Vec<String> = (1..=MAX_CHOSEN as i64 + 1).map(|i| i.to_string()).collect();
        let mut errors = FieldErrors::new();
        assert_eq!(Coverage::parse(&many, &[], &mut errors), None);
        assert!(
            errors
                .get("localities")
                .is_some_and(|m| m.contains("tối đa"))
        );
    }
}
