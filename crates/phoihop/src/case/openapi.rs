//! The OpenAPI 3.1 document of the JSON API, built from the code: the error codes from
//! [`ErrorCode::ALL`], the kinds, states, actions and fields from the workflow
//! declarations (`openapi_schemas.rs`), the limits from the constants the handlers
//! enforce, and for each operation every status it can answer with the codes each
//! status carries. A new kind, action, code or limit appears here without anyone
//! editing this file; `tests` below and the integration tests hold it to the routes.

use serde_json::{Value, json};

use super::openapi_schemas::{error_schema, schemas};
use super::{kinds, list};
use crate::attachment::sniff::Kind;
use crate::calendar::MAX_DAYS;
use crate::kit::{ErrorCode as C, MAX_ID, NOT_BLANK};
use crate::search::{MAX_PAGE, YEARS};

/// Dates the calendar answers for whatever `days` is: it covers 1900–2199, and 3,650
/// working days from the last day of 2184 end in August 2199 (from May 2185 they pass
/// the end); the month's days up to 28, 30 or 31.
const CALENDAR_DATE: &str = "^(19[0-9]{2}|20[0-9]{2}|21[0-7][0-9]|218[0-4])-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)$";
/// A date `yyyy-mm-dd` that exists (29 February aside, which a pattern cannot tell).
const DATE: &str = "^[0-9]{4}-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)$";

fn error(description: &str, codes: &[C]) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": error_schema(codes)}}})
}

fn ok(description: &str, schema: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}})
}

fn query(name: &str, schema: Value, description: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "schema": schema, "description": description})
}

fn id_schema() -> Value {
    json!({"type": "integer", "minimum": 1, "maximum": MAX_ID})
}

fn number_parameter() -> Value {
    json!({"name": "number", "in": "path", "required": true, "schema": {"type": "string"},
           "description": "the case's number: its kind's prefix, the year and a counter (XX-2026-0042)"})
}

/// Statuses every operation behind a token can answer (an operation's own answer for a
/// status comes first).
fn with_token(responses: Value) -> Value {
    let mut responses = responses;
    if let Some(r) = responses.as_object_mut() {
        r.entry("401")
            .or_insert(error("no valid token (and no session)", &[C::Unauthorized]));
        r.entry("503")
            .or_insert(error("the database does not answer", &[C::Unavailable]));
        r.entry("400").or_insert(error(
            "a request line that cannot be read (a malformed query string or path)",
            &[C::BadRequest],
        ));
    }
    responses
}

/// Statuses of an operation that reads a JSON body.
fn with_json_body(responses: Value) -> Value {
    let mut responses = responses;
    if let Some(r) = responses.as_object_mut() {
        r.entry("400").or_insert(error(
            "the body is not a JSON object, or the request line cannot be read",
            &[C::InvalidJson, C::BadRequest],
        ));
        r.entry("413")
            .or_insert(error("a body over 1 MB", &[C::TooLarge]));
        r.entry("415").or_insert(error(
            "a Content-Type other than application/json",
            &[C::UnsupportedMediaType],
        ));
    }
    with_token(responses)
}

/// One new case of each kind, with the fields its creation requires, that the lead
/// body's staff can open as it stands (the owner defaults to the lead body when only
/// its staff open that kind); the others need an `owner_org_id`.
fn new_case_examples() -> Value {
    let mut examples = serde_json::Map::new();
    for workflow in kinds::ALL {
        if workflow.create.fields.iter().any(|f| f.required)
            || workflow.lead_names_owner
            || !workflow
                .create
                .who
                .contains(&super::workflow::Party::LeadStaff)
        {
            continue;
        }
        examples.insert(
            workflow.kind.into(),
            json!({"summary": workflow.label,
                   "value": {"kind": workflow.kind, "title": format!("{} (ví dụ)", workflow.label)}}),
        );
    }
    Value::Object(examples)
}

fn kinds_and_states() -> (Vec<&'static str>, Vec<&'static str>) {
    let kinds: Vec<&str> = kinds::ALL.iter().map(|w| w.kind).collect();
    (kinds, super::all_states())
}

fn paths() -> Value {
    let (kinds_enum, states) = kinds_and_states();
    let bearer = json!([{"bearer": []}]);
    let date = json!({"type": "string", "pattern": DATE});
    let invalid_parameter = error(
        "a parameter of the wrong type or out of its range (`fields` names it)",
        &[C::InvalidParameter],
    );
    let case_links = json!({
        "GetCase": {"operationId": "getCase", "parameters": {"number": "$response.body#/number"}},
        "PerformAction": {"operationId": "performAction", "parameters": {"number": "$response.body#/number"}},
        "ListAttachments": {"operationId": "listAttachments", "parameters": {"number": "$response.body#/number"}},
        "UploadAttachment": {"operationId": "uploadAttachment", "parameters": {"number": "$response.body#/number"}}
    });
    let mut created = ok("the case opened: `{number, state, version}`", "Created");
    created["links"] = case_links.clone();
    created["headers"] = json!({"Location": {"schema": {"type": "string"}}});
    let mut uploaded = ok("the attachment", "Uploaded");
    uploaded["links"] = json!({"DownloadAttachment": {"operationId": "downloadAttachment",
        "parameters": {"id": "$response.body#/attachment/id"}}});
    uploaded["headers"] = json!({"Location": {"schema": {"type": "string"}}});
    let file_types: Vec<&str> = Kind::ALL.iter().map(|k| k.mime(false)).collect();
    let mut download_content = serde_json::Map::new();
    for kind in Kind::ALL {
        for utf8 in [false, true] {
            download_content.insert(
                kind.mime(utf8).into(),
                json!({"schema": {"type": "string", "format": "binary"}}),
            );
        }
    }
    json!({
        "/api/v1/cases": {
            "get": {"operationId": "listCases", "summary": "Cases the caller may see, newest first", "security": bearer,
                    "parameters": [
                        query("kind", json!({"type": "string", "enum": kinds_enum}), "a kind of case"),
                        query("state", json!({"type": "string", "enum": states}), "a state of any kind"),
                        query("field_id", id_schema(), "a field of work"),
                        query("locality_id", id_schema(), "a locality"),
                        query("owner_org_id", id_schema(), "the owning agency"),
                        query("overdue", json!({"type": "boolean"}), "only cases with a running clock past its date"),
                        query("from", date.clone(), "opened on or after (yyyy-mm-dd)"),
                        query("to", date, "opened on or before (yyyy-mm-dd)"),
                        query("before", id_schema(), "the next page: `next_before` of the previous one"),
                        query("limit", json!({"type": "integer", "minimum": 1, "maximum": list::MAX_LIMIT}),
                              &format!("lines per page, {} when left out", list::PAGE))
                    ],
                    "responses": with_token(json!({"200": ok("a page of cases and `next_before`", "CaseList"),
                                                   "422": invalid_parameter.clone()}))},
            "post": {"operationId": "openCase", "summary": "Open a case", "security": bearer,
                     "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewCase"},
                                                                                     "examples": new_case_examples()}}},
                     "responses": with_json_body(json!({
                         "201": created,
                         "403": error("not the caller's to open, or a session's write without X-CSRF-Token", &[C::Forbidden, C::Csrf]),
                         "422": error("invalid fields (each named in `fields`: a row that does not exist, an empty title, …) or an unknown kind",
                                      &[C::InvalidFields, C::UnknownKind])}))}
        },
        "/api/v1/cases/{number}": {
            "get": {"operationId": "getCase", "summary": "A case with the caller's allowed actions, clocks and timeline", "security": bearer,
                    "parameters": [number_parameter()],
                    "responses": with_token(json!({"200": ok("the case", "Case"),
                                                   "404": error("no such case, or not visible", &[C::NotFound])}))}
        },
        "/api/v1/cases/{number}/actions": {
            "post": {"operationId": "performAction", "summary": "Perform an action (the case's `allowed_actions` lists the caller's)", "security": bearer,
                     "parameters": [number_parameter()],
                     "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Action"}}}},
                     "responses": with_json_body(json!({
                         "200": ok("the case after the action", "Case"),
                         "403": error("not the caller's to take, or a session's write without X-CSRF-Token", &[C::Forbidden, C::Csrf]),
                         "404": error("no such case, or not visible", &[C::NotFound]),
                         "409": error("the case changed since that version, is in a state the action does not fit, or the action is refused (e.g. a conclusion without a document)",
                                      &[C::StaleVersion, C::WrongState, C::Refused]),
                         "422": error("missing or invalid fields, or an action this case's kind does not have",
                                      &[C::InvalidFields, C::UnknownAction])}))}
        },
        "/api/v1/cases/{number}/attachments": {
            "get": {"operationId": "listAttachments", "summary": "The case's attachments", "security": bearer,
                    "parameters": [number_parameter()],
                    "responses": with_token(json!({"200": ok("the attachments", "Attachments"),
                                                   "404": error("no such case, or not visible", &[C::NotFound])}))},
            "post": {"operationId": "uploadAttachment",
                     "summary": format!("Attach a file ({}; the type is read from the bytes, not from the name or the sent type)", file_types.join(", ")),
                     "security": bearer,
                     "parameters": [number_parameter()],
                     "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": {"type": "object",
                         "properties": {"file": {"type": "string", "format": "binary",
                                                 "description": "at most `attachment_max_bytes` (20 MiB unless configured)"}},
                         "required": ["file"]}}}},
                     "responses": with_token(json!({
                         "201": uploaded,
                         "400": error("no file or an empty one, a malformed form, or a request line that cannot be read",
                                      &[C::MissingFile, C::InvalidMultipart, C::BadRequest]),
                         "403": error("not the caller's to attach to, or a session's write without X-CSRF-Token", &[C::Forbidden, C::Csrf]),
                         "404": error("no such case, or not visible", &[C::NotFound]),
                         "409": error("the case is in a state that takes no attachment", &[C::WrongState, C::Refused]),
                         "413": error("a file over the configured size", &[C::TooLarge]),
                         "415": error("not a multipart form, or a file of a type not allowed (judged from its bytes)",
                                      &[C::UnsupportedMediaType, C::TypeNotAllowed]),
                         "422": error("unreadable, or a classified document (refused, nothing stored)", &[C::Unreadable, C::Classified])}))}
        },
        "/api/v1/attachments/{id}": {
            "get": {"operationId": "downloadAttachment", "summary": "Download an attachment", "security": bearer,
                    "parameters": [{"name": "id", "in": "path", "required": true, "schema": id_schema()}],
                    "responses": with_token(json!({
                        "200": {"description": "the file, with the type read from its bytes", "content": download_content},
                        "404": error("no such file, or not visible", &[C::NotFound])}))}
        },
        "/api/v1/search": {
            "get": {"operationId": "search", "summary": "Search what the caller may open: with or without diacritics, either tone placement, \"phrases\"", "security": bearer,
                    "parameters": [
                        {"name": "q", "in": "query", "required": true, "schema": {"type": "string", "pattern": NOT_BLANK},
                         "description": "the words; a longer query is cut to its first 1,000 characters or 32 words (`shortened`)"},
                        query("kind", json!({"type": "string", "enum": kinds_and_states().0}), "a kind of case"),
                        query("state", json!({"type": "string", "enum": kinds_and_states().1}), "a state of any kind"),
                        query("field_id", id_schema(), "a field of work"),
                        query("agency_id", id_schema(), "an agency"),
                        query("year", json!({"type": "integer", "minimum": YEARS.0, "maximum": YEARS.1}), "the year of the case"),
                        query("page", json!({"type": "integer", "minimum": 1, "maximum": MAX_PAGE}), "1 when left out")
                    ],
                    "responses": with_token(json!({
                        "200": ok("a page of results and the facets", "SearchResults"),
                        "422": error("a parameter out of its range, a query with no word to search for (only punctuation or invisible characters), or one too broad to answer in time",
                                     &[C::InvalidParameter, C::EmptyQuery, C::QueryTooBroad]),
                        "503": error("this node's index is not built yet, or the database does not answer", &[C::IndexNotReady, C::Unavailable])}))}
        },
        "/api/v1/calendar/add-working-days": {
            "get": {"operationId": "addWorkingDays", "summary": "A date so many working days after another, on the Vietnamese calendar", "security": [],
                    "parameters": [{"name": "from", "in": "query", "required": true, "schema": {"type": "string", "pattern": CALENDAR_DATE},
                                    "description": "yyyy-mm-dd (dd/mm/yyyy is also read); the calendar covers 1900–2199, so a later date answers only while the result stays within it"},
                                   {"name": "days", "in": "query", "required": true, "schema": {"type": "integer", "minimum": 0, "maximum": MAX_DAYS}}],
                    "responses": {"200": ok("`{from, days, date}`", "WorkingDay"),
                                  "422": error("a missing or impossible date, a day count out of range, or a result past 2199",
                                               &[C::InvalidDate, C::InvalidDays]),
                                  "503": error("the database does not answer", &[C::Unavailable])}}
        },
        "/api/v1/openapi.json": {
            "get": {"operationId": "openapi", "summary": "This document", "security": [],
                    "responses": {"200": {"description": "the OpenAPI document", "content": {"application/json": {"schema": {"type": "object"}}}}}}
        }
    })
}

pub fn document() -> Value {
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Phối hợp API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Cases of a coordination program. Personal tokens: `phoihop token create USER`. \
                                 Every error is `{\"error\": {\"code\", \"message\"}}` with a code of the `Error` schema."},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas()
        },
        "paths": paths()
    })
}

#[cfg(test)]
mod tests {
    use super::C;

    #[test]
    fn every_declared_action_is_documented() {
        let doc = super::document();
        let schemas = doc["components"]["schemas"].as_object().expect("schemas");
        for workflow in super::kinds::ALL {
            for t in workflow.transitions.iter().filter(|t| !t.who.is_empty()) {
                assert!(
                    schemas.contains_key(&format!("{}_{}", workflow.kind, t.action)),
                    "{}",
                    t.action
                );
            }
        }
        assert_eq!(doc["openapi"], "3.1.0");
    }

    /// Every code the API can send is in the document's `Error` enum, and each one is
    /// declared by some operation's responses.
    #[test]
    fn every_code_is_documented() {
        let doc = super::document();
        let listed: Vec<&str> = doc["components"]["schemas"]["Error"]["properties"]["error"]
            ["properties"]["code"]["enum"]
            .as_array()
            .expect("enum")
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        let text = doc["paths"].to_string();
        for code in C::ALL {
            assert!(listed.contains(&code.as_str()), "{}", code.as_str());
            // Codes only the edge answers (a route or method that does not exist, an
            // unreadable request line, a bug) belong to no operation.
            if matches!(code, C::MethodNotAllowed | C::Internal) {
                continue;
            }
            assert!(
                text.contains(&format!("\"{}\"", code.as_str())),
                "no operation answers {}",
                code.as_str()
            );
        }
    }
}
