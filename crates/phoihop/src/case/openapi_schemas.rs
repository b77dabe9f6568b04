//! The components of the OpenAPI document: the error body (its codes from
//! [`ErrorCode::ALL`]), each kind's new-case body, states and actions with their fields
//! (from the workflow declarations and the same [`Expect`] values the API checks
//! bodies with), and what the operations answer.

use super::parties::Party;
use serde_json::{Map, Value, json};

use crate::kit::{ErrorCode, Expect, MAX_ID};

use super::api_input::NEW_CASE;
use super::workflow::Workflow;
use super::{fields, kinds};

/// `{"type": [t, "null"]}`.
fn nullable(t: &str) -> Value {
    json!({"type": [t, "null"]})
}

/// The error body, its code any of `codes`.
pub fn error_schema(codes: &[ErrorCode]) -> Value {
    let codes: Vec<&str> = codes.iter().map(|c| c.as_str()).collect();
    json!({"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message"],
    "properties": {
        "code": {"type": "string", "enum": codes},
        "message": {"type": "string", "description": "in Vietnamese"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"},
                   "description": "what was wrong with each named field or parameter"},
        "current_version": {"type": "integer", "description": "stale_version: the case's version now"},
        "current_state": {"type": "string", "description": "stale_version: the case's state now"},
        "state": {"type": "string", "description": "wrong_state: the case's state"}
    }}}})
}

/// The properties every new case may have, besides its kind's own fields.
fn new_case(workflow: &Workflow) -> Value {
    let mut properties = Map::new();
    properties.insert("kind".into(), json!({"const": workflow.kind}));
    for (name, expect) in NEW_CASE {
        properties.insert((*name).into(), expect.schema());
    }
    let mut required = vec![json!("kind"), json!("title")];
    for f in workflow.create.fields {
        properties.insert(f.name.into(), fields::api::schema(f));
        if f.required {
            required.push(json!(f.name));
        }
    }
    json!({"type": "object", "title": workflow.label, "properties": properties,
           "required": required, "additionalProperties": false,
           "description": "program_id: the newest program when left out; owner_org_id: the caller's \
                           organisation for agency people (the lead body's staff name it)"})
}

/// One schema per action of a kind: `{"action": "...", "version": n, ...fields}`.
fn action_schemas(workflow: &Workflow, schemas: &mut Map<String, Value>) -> Vec<Value> {
    let mut refs = Vec::new();
    for t in workflow.transitions.iter().filter(|t| !t.who.is_empty()) {
        let mut properties = Map::new();
        properties.insert("action".into(), json!({"const": t.action}));
        let mut version = Expect::Id.schema();
        if let Some(o) = version.as_object_mut() {
            o.insert("description".into(), "the version the caller saw".into());
        }
        properties.insert("version".into(), version);
        let mut required = vec![json!("action"), json!("version")];
        for f in t.fields {
            properties.insert(f.name.into(), fields::api::schema(f));
            if f.required {
                required.push(json!(f.name));
            }
        }
        let name = format!("{}_{}", workflow.kind, t.action);
        if schemas.contains_key(&name) {
            continue;
        }
        schemas.insert(
            name.clone(),
            json!({"type": "object", "title": t.label, "properties": properties,
                   "required": required, "additionalProperties": false}),
        );
        refs.push(json!({"$ref": format!("#/components/schemas/{name}")}));
    }
    refs
}

/// A case as read and as answered after an action.
fn case_schema(kinds_enum: &[&str]) -> Value {
    let org = json!({"type": "object", "required": ["id", "name"], "properties": {
        "id": {"type": "integer"}, "name": nullable("string")}});
    let required = json!([
        "number",
        "kind",
        "title",
        "body",
        "state",
        "state_label",
        "version",
        "program_id",
        "field_id",
        "locality_id",
        "owner",
        "assignee",
        "parties",
        "your_parties",
        "opened_at",
        "closed_at",
        "data",
        "allowed_actions",
        "recipients",
        "clocks",
        "timeline"
    ]);
    let party_codes: Vec<&str> = Party::ALL.iter().map(|p| p.code()).collect();
    let parties = json!({"type": "array",
        "description": "Who holds each of the kind's parties, by the kind's name for it",
        "items": {"type": "object", "required": ["party", "label"], "properties": {
            "party": {"type": "string", "enum": party_codes}, "label": {"type": "string"},
            "organisations": {"type": "array", "items": org},
            "people": {"type": "array", "items": org}}}});
    let your_parties = json!({"type": "array", "description": "The parties the caller holds on the case",
        "items": {"type": "string", "enum": party_codes}});
    let allowed_actions = json!({"type": "array", "items": {"type": "object",
            "required": ["action", "label", "documents_required", "fields"],
            "properties": {"action": {"type": "string"}, "label": {"type": "string"},
                "documents_required": {"type": "boolean"},
                "fields": {"type": "array", "items": {"type": "object", "required": ["name", "label", "type", "required"],
                    "properties": {"name": {"type": "string"}, "label": {"type": "string"},
                        "type": {"type": "string", "description": "line, text, date, number, choice, organisation(s), person, locality, field_of_work, case(s), phone, email or rows"},
                        "required": {"type": "boolean"}}}}}}});
    json!({"type": "object",
    "required": required,
    "properties": {
        "number": {"type": "string"}, "kind": {"type": "string", "enum": kinds_enum},
        "title": {"type": "string"}, "body": {"type": "string"}, "state": {"type": "string"},
        "state_label": nullable("string"), "version": {"type": "integer", "minimum": 1},
        "program_id": {"type": "integer"}, "field_id": nullable("integer"), "locality_id": nullable("integer"),
        "owner": org, "assignee": {"oneOf": [{"type": "null"}, org]},
        "parties": parties, "your_parties": your_parties,
        "opened_at": {"type": "integer", "description": "Unix ms"}, "closed_at": nullable("integer"),
        "data": {"type": "object"},
        "allowed_actions": allowed_actions,
        "recipients": {"type": "array", "items": {"type": "object",
            "required": ["organisation_id", "organisation_name", "sent_at", "acknowledged_at"],
            "properties": {"organisation_id": {"type": "integer"}, "organisation_name": {"type": "string"},
                "sent_at": {"type": "integer"}, "acknowledged_at": nullable("integer")}}},
        "clocks": {"type": "array", "items": {"type": "object", "required": ["clock", "organisation_id", "due_on", "state"],
            "properties": {"clock": {"type": "string"}, "organisation_id": nullable("integer"),
                "due_on": {"type": "string", "format": "date"}, "state": {"type": "string"}}}},
        "timeline": {"type": "array", "items": {"type": "object",
            "required": ["id", "at", "actor_name", "action", "note", "data"],
            "properties": {"id": {"type": "integer"}, "at": {"type": "integer"}, "actor_name": {"type": "string"},
                "actor_org_id": nullable("integer"), "action": {"type": "string"},
                "from_state": nullable("string"), "to_state": nullable("string"),
                "note": {"type": "string"}, "data": {"type": "object"}}}}
    }})
}

/// A line of the case list (the stored row).
fn listed_schema(kinds_enum: &[&str]) -> Value {
    json!({"type": "object",
    "required": ["id", "kind", "number", "title", "body", "state", "program_id", "owner_org_id",
                 "opened_at", "version"],
    "properties": {
        "id": {"type": "integer"}, "kind": {"type": "string", "enum": kinds_enum},
        "number": {"type": "string"}, "title": {"type": "string"}, "body": {"type": "string"},
        "state": {"type": "string"}, "program_id": {"type": "integer"},
        "commitment_id": nullable("integer"), "field_id": nullable("integer"),
        "locality_id": nullable("integer"), "owner_org_id": {"type": "integer"},
        "assignee_org_id": nullable("integer"), "opened_at": {"type": "integer"},
        "closed_at": nullable("integer"), "updated_at": {"type": "integer"},
        "version": {"type": "integer"}, "data": {"type": "object"}
    }})
}

fn attachment_schema() -> Value {
    json!({"type": "object",
    "required": ["id", "file_name", "mime", "size_bytes", "encoding_note", "uploaded_by", "uploaded_at", "href"],
    "properties": {
        "id": {"type": "integer", "minimum": 1, "maximum": MAX_ID}, "file_name": {"type": "string"},
        "mime": {"type": "string"}, "size_bytes": {"type": "integer"},
        "encoding_note": nullable("string"), "uploaded_by": {"type": "string"},
        "uploaded_at": {"type": "integer"}, "href": {"type": "string"}
    }})
}

fn search_schema() -> Value {
    let facet = json!({"type": "array", "items": {"type": "object"}});
    json!({"type": "object",
    "required": ["query", "total", "total_is_lower_bound", "page", "per_page", "pages", "shortened",
                 "index_building", "results", "facets"],
    "properties": {
        "query": {"type": "string"}, "total": {"type": "integer"},
        "total_is_lower_bound": {"type": "boolean"}, "page": {"type": "integer"},
        "per_page": {"type": "integer"}, "pages": {"type": "integer"},
        "shortened": {"type": "boolean", "description": "the query was cut to its first 1,000 characters or 32 words"},
        "index_building": {"type": "boolean"},
        "results": {"type": "array", "items": {"type": "object",
            "required": ["source", "case_number", "href", "title", "title_html", "kind", "state", "at", "date", "match"],
            "properties": {
                "source": {"type": "string"}, "case_number": {"type": "string"}, "href": {"type": "string"},
                "title": {"type": "string"}, "title_html": {"type": "string"},
                "snippet": nullable("string"), "snippet_html": nullable("string"),
                "kind": {"type": "string"}, "kind_label": {"type": ["string", "null"]},
                "state": {"type": "string"}, "state_label": {"type": ["string", "null"]},
                "agency_id": nullable("integer"), "agency": {"type": ["string", "null"]},
                "at": {"type": "integer"}, "date": {"type": "string"},
                "match": {"type": "string", "description": "the tier the result matched in, best first",
                          "enum": crate::search::Tier::ALL.iter().map(|t| json!(t)).collect::<Vec<_>>()}
            }}},
        "facets": {"type": "object", "properties": {"kind": facet, "state": facet, "field": facet,
                                                    "agency": facet, "year": facet}}
    }})
}

/// Every schema of the document's components.
pub fn schemas() -> Map<String, Value> {
    let mut schemas = Map::new();
    schemas.insert("Error".into(), error_schema(ErrorCode::ALL));
    let kinds_enum: Vec<&str> = kinds::ALL.iter().map(|w| w.kind).collect();
    let mut actions = Vec::new();
    let mut new_cases = Vec::new();
    for workflow in kinds::ALL {
        actions.extend(action_schemas(workflow, &mut schemas));
        let name = format!("New_{}", workflow.kind);
        schemas.insert(name.clone(), new_case(workflow));
        new_cases.push(json!({"$ref": format!("#/components/schemas/{name}")}));
        schemas.insert(
            format!("{}_state", workflow.kind),
            json!({"type": "string", "title": workflow.label,
                   "enum": workflow.states.iter().map(|s| s.code).collect::<Vec<_>>()}),
        );
    }
    schemas.insert("Action".into(), json!({"anyOf": actions}));
    schemas.insert("NewCase".into(), json!({"oneOf": new_cases}));
    schemas.insert("Case".into(), case_schema(&kinds_enum));
    schemas.insert(
        "Created".into(),
        json!({"type": "object", "required": ["number", "state", "version"], "properties": {
            "number": {"type": "string"}, "state": {"type": "string"}, "version": {"type": "integer"}}}),
    );
    schemas.insert(
        "CaseList".into(),
        json!({"type": "object", "required": ["cases", "next_before"], "properties": {
            "cases": {"type": "array", "items": listed_schema(&kinds_enum)},
            "next_before": {"type": ["integer", "null"], "description": "pass as `before` for the next page"}}}),
    );
    schemas.insert("Attachment".into(), attachment_schema());
    schemas.insert(
        "Attachments".into(),
        json!({"type": "object", "required": ["attachments"], "properties": {
            "attachments": {"type": "array", "items": {"$ref": "#/components/schemas/Attachment"}}}}),
    );
    schemas.insert(
        "Uploaded".into(),
        json!({"type": "object", "required": ["attachment"], "properties": {
            "attachment": {"$ref": "#/components/schemas/Attachment"}}}),
    );
    schemas.insert("SearchResults".into(), search_schema());
    schemas.insert(
        "WorkingDay".into(),
        json!({"type": "object", "required": ["from", "days", "date"], "properties": {
            "from": {"type": "string", "format": "date"}, "days": {"type": "integer"},
            "date": {"type": "string", "format": "date"}}}),
    );
    schemas
}
