//! The OpenAPI 3.1 document of the JSON API, built from the code: the paths from the
//! table below (the same one the routes are mounted from in `api.rs`), and the kinds,
//! states, actions and action fields from the workflow declarations themselves, so
//! that a new kind or action appears in the document without anyone editing it.

use serde_json::{Map, Value, json};

use super::kinds;
use super::workflow::{FieldKind, Workflow};

fn error_response(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

fn field_schema(kind: FieldKind) -> Value {
    match kind {
        FieldKind::Line | FieldKind::Text => json!({"type": "string"}),
        FieldKind::Organisations => {
            json!({"type": "array", "items": {"type": "integer"}, "description": "organisation ids"})
        }
        FieldKind::Cases(of) => {
            json!({"type": "array", "items": {"type": "string"}, "description": format!("numbers of {of} cases")})
        }
    }
}

/// One schema per action of a kind: `{"action": "...", "version": n, ...fields}`.
fn action_schemas(workflow: &Workflow, schemas: &mut Map<String, Value>) -> Vec<Value> {
    let mut refs = Vec::new();
    for t in workflow.transitions.iter().filter(|t| !t.who.is_empty()) {
        let mut properties = Map::new();
        properties.insert("action".into(), json!({"const": t.action}));
        properties.insert(
            "version".into(),
            json!({"type": "integer", "description": "the version the caller saw"}),
        );
        let mut required = vec![json!("action"), json!("version")];
        for f in t.fields {
            properties.insert(f.name.into(), field_schema(f.kind));
            if f.required {
                required.push(json!(f.name));
            }
        }
        let name = format!("{}_{}", workflow.kind, t.action);
        schemas.insert(
            name.clone(),
            json!({"type": "object", "title": t.label, "properties": properties, "required": required, "additionalProperties": false}),
        );
        refs.push(json!({"$ref": format!("#/components/schemas/{name}")}));
    }
    refs
}

pub fn document() -> Value {
    let mut schemas = Map::new();
    schemas.insert(
        "Error".into(),
        json!({"type": "object", "properties": {"error": {"type": "object", "properties": {
            "code": {"type": "string", "enum": ["not_found", "forbidden", "unknown_action", "wrong_state", "stale_version",
                     "invalid_fields", "refused", "invalid_json", "too_large", "unknown_kind", "unauthorized", "csrf", "internal",
                     "missing_file", "type_not_allowed", "unreadable", "classified", "invalid_multipart",
                     "empty_query", "query_too_broad", "index_not_ready"]},
            "message": {"type": "string", "description": "in Vietnamese"},
            "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            "current_version": {"type": "integer"}
        }, "required": ["code", "message"]}}}),
    );
    let mut actions = Vec::new();
    let mut kinds_enum = Vec::new();
    for workflow in kinds::ALL {
        kinds_enum.push(json!(workflow.kind));
        actions.extend(action_schemas(workflow, &mut schemas));
        schemas.insert(
            format!("{}_state", workflow.kind),
            json!({"type": "string", "title": workflow.label, "enum": workflow.states.iter().map(|s| s.code).collect::<Vec<_>>()}),
        );
    }
    schemas.insert("Action".into(), json!({"oneOf": actions}));
    schemas.insert(
        "NewCase".into(),
        json!({"type": "object", "required": ["kind", "title"], "properties": {
            "kind": {"type": "string", "enum": kinds_enum.clone()},
            "title": {"type": "string", "maxLength": 500},
            "body": {"type": "string"},
            "program_id": {"type": "integer"}, "field_id": {"type": "integer"}, "locality_id": {"type": "integer"},
            "commitment_id": {"type": "integer"}, "owner_org_id": {"type": "integer"},
            "incidents": {"type": "array", "items": {"type": "string"}, "description": "for an orientation: the incidents it answers"}
        }}),
    );
    let bearer = json!([{"bearer": []}]);
    let list_parameters: Vec<Value> = [
        "kind",
        "state",
        "field_id",
        "locality_id",
        "owner_org_id",
        "overdue",
        "from",
        "to",
        "before",
        "limit",
    ]
    .iter()
    .map(|p| json!({"name": p, "in": "query", "required": false, "schema": {"type": "string"}}))
    .collect();
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Phối hợp API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Cases of a coordination program. Personal tokens: `phoihop token create USER`."},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas
        },
        "paths": {
            "/api/v1/cases": {
                "get": {"summary": "Cases the caller may see, newest first", "security": bearer,
                        "parameters": list_parameters,
                        "responses": {"200": {"description": "a page of cases and `next_before`"}, "401": error_response("no valid token")}},
                "post": {"summary": "Open a case", "security": bearer,
                         "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewCase"}}}},
                         "responses": {"201": {"description": "`{number, state, version}`"}, "403": error_response("not allowed"),
                                       "422": error_response("invalid fields or unknown kind")}}
            },
            "/api/v1/cases/{number}": {
                "get": {"summary": "A case with the caller's allowed actions, clocks and timeline", "security": bearer,
                        "parameters": [{"name": "number", "in": "path", "required": true, "schema": {"type": "string"}}],
                        "responses": {"200": {"description": "the case"}, "404": error_response("no such case, or not visible")}}
            },
            "/api/v1/cases/{number}/actions": {
                "post": {"summary": "Perform an action", "security": bearer,
                         "parameters": [{"name": "number", "in": "path", "required": true, "schema": {"type": "string"}}],
                         "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Action"}}}},
                         "responses": {"200": {"description": "the case after the action"}, "403": error_response("not the caller's to take"),
                                       "404": error_response("no such case, or not visible"), "409": error_response("stale version or wrong state"),
                                       "422": error_response("missing fields or unknown action")}}
            },
            "/api/v1/cases/{number}/attachments": {
                "get": {"summary": "The case's attachments", "security": bearer,
                        "parameters": [{"name": "number", "in": "path", "required": true, "schema": {"type": "string"}}],
                        "responses": {"200": {"description": "the attachments"}, "404": error_response("no such case, or not visible")}},
                "post": {"summary": "Attach a file (PDF, DOCX, XLSX, PNG, JPEG, UTF-8 text; the type is read from the bytes)", "security": bearer,
                         "parameters": [{"name": "number", "in": "path", "required": true, "schema": {"type": "string"}}],
                         "requestBody": {"required": true, "content": {"multipart/form-data": {"schema": {"type": "object",
                             "properties": {"file": {"type": "string", "format": "binary"}}, "required": ["file"]}}}},
                         "responses": {"201": {"description": "the attachment"}, "400": error_response("no file, or a malformed form"),
                                       "403": error_response("not allowed"),
                                       "404": error_response("no such case, or not visible"),
                                       "413": error_response("too large"),
                                       "415": error_response("a type not allowed, judged from the bytes"),
                                       "422": error_response("unreadable, or a classified document (refused, nothing stored)")}}
            },
            "/api/v1/attachments/{id}": {
                "get": {"summary": "Download an attachment", "security": bearer,
                        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
                        "responses": {"200": {"description": "the file, with its sniffed type"}, "404": error_response("no such file, or not visible")}}
            },
            "/api/v1/search": {
                "get": {"summary": "Search what the caller may open: with or without diacritics, either tone placement, \"phrases\"", "security": bearer,
                        "parameters": [{"name": "q", "in": "query", "required": true, "schema": {"type": "string", "maxLength": 1000}},
                                       {"name": "kind", "in": "query", "required": false, "schema": {"type": "string", "enum": kinds_enum}},
                                       {"name": "state", "in": "query", "required": false, "schema": {"type": "string"}},
                                       {"name": "field_id", "in": "query", "required": false, "schema": {"type": "integer"}},
                                       {"name": "agency_id", "in": "query", "required": false, "schema": {"type": "integer"}},
                                       {"name": "year", "in": "query", "required": false, "schema": {"type": "integer"}},
                                       {"name": "page", "in": "query", "required": false, "schema": {"type": "integer", "minimum": 1, "maximum": 50}}],
                        "responses": {"200": {"description": "`{total, total_is_lower_bound, page, pages, results: [{source, case_number, title, title_html, snippet, snippet_html, match, …}], facets}`"},
                                      "401": error_response("no valid token"),
                                      "422": error_response("a query with nothing to search for, or too broad"),
                                      "503": error_response("this node's index is not built yet")}}
            },
            "/api/v1/calendar/add-working-days": {
                "get": {"summary": "A date so many working days after another, on the Vietnamese calendar",
                        "parameters": [{"name": "from", "in": "query", "required": true, "schema": {"type": "string", "format": "date"}},
                                       {"name": "days", "in": "query", "required": true, "schema": {"type": "integer", "minimum": 0}}],
                        "responses": {"200": {"description": "`{from, days, date}`"}, "422": error_response("bad date or day count")}}
            }
        }
    })
}

#[cfg(test)]
mod tests {
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
}
