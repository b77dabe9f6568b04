//! What the pickers of a form offer (organisations, people, localities, fields of
//! work), read once for a page and only for the types its fields have.

use std::sync::Mutex;

use crate::access::Role;
use crate::case::model::{self, CaseActor};
use crate::db::Conn;
use crate::error::Result;
use crate::org::tree::OrgTree;
use crate::org::{self, OrgRole, Organisation, collaborators};
use crate::refdata;

use super::picklist::PickList;

use super::{FieldKind, FieldSpec};

/// The lists the pickers of a page offer, each read only when one of its fields needs it.
#[derive(Default)]
pub struct Options {
    /// Current partner agencies: addressees are agencies, which direct their own units.
    pub agencies: PickList,
    /// Current partner agencies and their units, indented under them.
    pub organisations: PickList,
    /// Active people the person may name: everyone for the lead body's staff, their own
    /// organisation's (and its units') for others.
    pub people: PickList,
    pub localities: PickList,
    pub fields: PickList,
}

/// The lists every person is offered the same, built at one organisation-tree version.
#[derive(Clone)]
struct Shared {
    version: i64,
    agencies: PickList,
    organisations: PickList,
    localities: PickList,
    fields: PickList,
}

/// What a collaborator covers, as their pickers offer it.
#[derive(Clone)]
struct Covered {
    localities: PickList,
    fields: PickList,
}

/// Collaborators' coverage read at one version (changes to coverage change it:
/// migration 0015), by user; started again at each new version.
static COVERED: Mutex<(i64, Vec<(i64, Covered)>)> = Mutex::new((0, Vec::new()));

/// What collaborator `user_id` covers, at `version`.
fn covered(conn: &mut dyn Conn, user_id: i64, version: i64) -> Result<Covered> {
    {
        let kept = COVERED.lock().unwrap_or_else(|p| p.into_inner());
        if kept.0 == version
            && let Some((_, hit)) = kept.1.iter().find(|(u, _)| *u == user_id)
        {
            return Ok(hit.clone());
        }
    }
    let c = collaborators::current(conn, user_id)?;
    let named = |list: &[collaborators::Named]| {
        PickList::new(list.iter().map(|n| (n.id, n.name.clone())).collect())
    };
    let found = Covered {
        localities: named(&c.localities),
        fields: named(&c.fields),
    };
    let mut kept = COVERED.lock().unwrap_or_else(|p| p.into_inner());
    if kept.0 != version || kept.1.len() >= 4096 {
        *kept = (version, Vec::new());
    }
    kept.1.push((user_id, found.clone()));
    Ok(found)
}

/// The shared lists of the last few versions (tests run several databases at once).
static SHARED: Mutex<Vec<Shared>> = Mutex::new(Vec::new());

/// The shared lists at `all`'s version, built once per version on this node.
fn shared(conn: &mut dyn Conn, all: &OrgTree) -> Result<Shared> {
    let version = all.version();
    {
        let kept = SHARED.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(hit) = kept.iter().find(|s| s.version == version) {
            return Ok(hit.clone());
        }
    }
    let lists = Shared {
        version,
        agencies: PickList::new(
            all.iter()
                .filter(|o| o.is_current() && o.role == OrgRole::Partner)
                .map(|o| (o.id, o.name.clone()))
                .collect(),
        ),
        organisations: PickList::new(agencies_and_units(all)),
        localities: PickList::new(
            refdata::current_localities(conn, version)?
                .iter()
                .map(|l| (l.id, l.name.clone()))
                .collect(),
        ),
        fields: PickList::new(
            refdata::active_fields(conn, version)?
                .iter()
                .map(|f| (f.id, f.name.clone()))
                .collect(),
        ),
    };
    let mut kept = SHARED.lock().unwrap_or_else(|p| p.into_inner());
    kept.retain(|s| s.version != version);
    if kept.len() >= 4 {
        kept.remove(0);
    }
    kept.push(lists.clone());
    Ok(lists)
}

impl Options {
    /// Reads the lists `specs` need, for `actor`, `all` being the organisation tree
    /// (whose version the reference lists are kept under: `refdata::kept`).
    pub fn load<'a>(
        conn: &mut dyn Conn,
        actor: &CaseActor,
        all: &OrgTree,
        specs: impl IntoIterator<Item = &'a FieldSpec>,
    ) -> Result<Options> {
        let mut kinds = Vec::new();
        for spec in specs {
            match spec.kind {
                FieldKind::Rows { columns, .. } => kinds.extend(columns.iter().map(|c| c.kind)),
                kind => kinds.push(kind),
            }
        }
        let needs = |k: FieldKind| kinds.contains(&k);
        let mut options = Options::default();
        let pickers = [
            FieldKind::Organisations,
            FieldKind::Organisation,
            FieldKind::Person,
            FieldKind::Locality,
            FieldKind::FieldOfWork,
        ];
        if !pickers.into_iter().any(needs) {
            return Ok(options);
        }
        let shared = shared(conn, all)?;
        if needs(FieldKind::Organisations) {
            options.agencies = shared.agencies;
        }
        if needs(FieldKind::Organisation) {
            options.organisations = shared.organisations;
        }
        if needs(FieldKind::Person) {
            let scope = (!actor.is_lead_staff()).then(|| model::own_scope(actor, all));
            let mut people = Vec::new();
            for r in conn.query(
                "SELECT id, display_name, organisation_id FROM users WHERE active = 1
                 ORDER BY display_name, id",
                &[],
            )? {
                let org_id: i64 = r.get(2)?;
                if scope.as_ref().is_none_or(|s| s.contains(&org_id)) {
                    let name: String = r.get(1)?;
                    let org_name = all.iter().find(|o| o.id == org_id).map_or("", |o| &o.name);
                    people.push((r.get(0)?, format!("{name} ({org_name})")));
                }
            }
            options.people = PickList::new(people);
        }
        // A collaborator reports on what they cover: their localities, and their fields
        // when they are named (none named: every field).
        let covered = match actor.role {
            Role::Collaborator if needs(FieldKind::Locality) || needs(FieldKind::FieldOfWork) => {
                Some(covered(conn, actor.user_id, all.version())?)
            }
            _ => None,
        };
        if needs(FieldKind::Locality) {
            options.localities = match &covered {
                Some(c) if !c.localities.items.is_empty() => c.localities.clone(),
                _ => shared.localities,
            };
        }
        if needs(FieldKind::FieldOfWork) {
            options.fields = match &covered {
                Some(c) if !c.fields.items.is_empty() => c.fields.clone(),
                _ => shared.fields,
            };
        }
        Ok(options)
    }
}

/// Current partner agencies with their units below them (`— ` per level), as the
/// reporting agency is chosen.
pub fn agencies_and_units(all: &[Organisation]) -> Vec<(i64, String)> {
    org::tree(all, false)
        .into_iter()
        .filter(|(_, o)| matches!(o.role, OrgRole::Partner | OrgRole::Unit))
        .map(|(depth, o)| (o.id, format!("{}{}", "— ".repeat(depth), o.name)))
        .collect()
}
