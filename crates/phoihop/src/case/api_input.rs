//! What a new case's API body must hold besides its kind's own fields, as checked and as
//! documented, written with the kit's [`Expect`] so that the OpenAPI document and the
//! checks cannot disagree. The types of a kind's declared fields are in
//! `fields/api.rs`.

use crate::kit::Expect;

use super::engine::{MAX_TEXT, MAX_TITLE};

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
