//! The kit every domain's pages and API are built from: the JSON API's error type with
//! its table of stable codes, and the strict readers of query strings and bodies. It
//! sits below the domains and knows none of them; `web/` mounts what the domains build
//! with it.

mod api_error;
mod api_input;

pub use api_error::{ApiError, ErrorCode, json_errors};
pub use api_input::{
    Expect, MAX_ID, MAX_JSON, NO_NUL, NOT_BLANK, QueryParams, check, id, json_object,
};
