//! What a case's API body must hold, as checked and as documented: the properties of a
//! new case and the types of each action's declared fields, written with the kit's
//! [`Expect`] so that the OpenAPI document and the checks cannot disagree.

use serde_json::{Map, Value};

use crate::error::FieldErrors;
use crate::kit::{Expect, check};

use super::engine::{MAX_LINE, MAX_TEXT, MAX_TITLE};
use super::workflow::{FieldKind, FieldSpec, Transition};

/// The type of an action's field, from its declaration.
pub fn expect_of(spec: &FieldSpec) -> Expect {
    match spec.kind {
        FieldKind::Line => Expect::Text {
            max: MAX_LINE,
            required: spec.required,
        },
        FieldKind::Text => Expect::Text {
            max: MAX_TEXT,
            required: spec.required,
        },
        FieldKind::Organisations => Expect::Ids {
            required: spec.required,
        },
        FieldKind::Cases(_) => Expect::Strings {
            required: spec.required,
        },
    }
}

/// The properties of a new case besides `kind` and the kind's own fields, as checked and
/// as documented.
pub const NEW_CASE: &[(&str, Expect)] = &[
    (
        "title",
        Expect::Text {
            max: MAX_TITLE,
            required: true,
        },
    ),
    (
        "body",
        Expect::Text {
            max: MAX_TEXT,
            required: false,
        },
    ),
    ("program_id", Expect::Id),
    ("field_id", Expect::Id),
    ("locality_id", Expect::Id),
    ("commitment_id", Expect::Id),
    ("owner_org_id", Expect::Id),
];

/// Checks the types of the fields a transition declares, as the document states them
/// (whether rows they name exist is the engine's to say).
pub fn check_fields(transition: &Transition, map: &Map<String, Value>, errors: &mut FieldErrors) {
    for spec in transition.fields {
        if let Some(value) = map.get(spec.name)
            && let Err(msg) = check(value, expect_of(spec))
        {
            errors.add(spec.name, msg);
        }
    }
}
