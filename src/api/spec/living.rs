//! The OpenAPI description of a living map's routes (issue #21): report uploads and their
//! removal, planners' verdicts on names, and the change number a page polls.

use serde_json::{Map, Value, json};

use super::{META, NOTE_DELETE, UPLOAD};

/// Adds the upload, removal and verdict operations to `paths` (the read operations of
/// `/api/reports` are already there).
#[expect(
    clippy::too_many_lines,
    reason = "one JSON literal per operation, as the rest of the document"
)]
pub fn living_paths(
    paths: &mut Map<String, Value>,
    parameters: &dyn Fn(&[super::Param]) -> Vec<Value>,
) {
    let error = |description: &str| json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    let bearer = json!([{"bearer": []}]);
    let change = json!({"X-Planmap-Change": {"description": "The number of the newest change now served", "schema": {"type": "integer"}}});
    let common = |extra: &[(&str, &str)]| {
        let mut r = json!({
            "401": error("No bearer token, or an unknown or revoked one"),
            "429": error("Too many failed token checks from this address; see Retry-After"),
            "503": error("The data folder cannot be written; reads keep working"),
        });
        for (code, description) in extra {
            r[*code] = error(description);
        }
        r
    };
    let mut post_responses = common(&[
        (
            "400",
            "Not JSON, an unknown field, a body that is not UTF-8, an empty text or a bad id; a .docx or PDF that cannot be read, and why (`file`: not a .docx, a damaged PDF, a PDF without a text layer such as a scan); a report field as a query parameter beside a JSON body; `parameter` names it (`text`, `id`, `file`, `body` …)",
        ),
        (
            "415",
            "A Content-Type other than application/json, text/plain, .docx (application/vnd.openxmlformats-officedocument.wordprocessingml.document) or application/pdf; `parameter` is `Content-Type`",
        ),
        (
            "409",
            "A report (a --seeds report or a live upload) already has this id",
        ),
        (
            "413",
            "The text is longer than --max-report-bytes (2 MB by default); `parameter` is `text`",
        ),
    ]);
    post_responses["201"] = json!({
        "description": "Stored, read and served: the report's summary exactly as GET /api/reports lists it (id, title, district, year, kind, sources, counts {features, located, unlocated, zones, streets, projects, in_other_reports}, href, uploaded)",
        "headers": {"Location": {"description": "/api/reports/{id}", "schema": {"type": "string"}}, "X-Planmap-Change": change["X-Planmap-Change"]},
        "content": {"application/json": {"schema": {"type": "object"}}}
    });
    post_responses["200"] = json!({
        "description": "With ?dry_run=true: what publishing would serve, nothing stored and no change number taken: {dry_run: true, summary (as GET /api/reports would list it), layers {zones|streets|projects: {features, located}}, unlocated [{id, name, layer, kind, quote}], district_wide [same], features [{id, name, layer, kind, match, located, uncertainty_m, verb, sentence}]}",
        "content": {"application/json": {"schema": {"type": "object", "required": ["dry_run", "summary", "layers", "unlocated", "features"]}}}
    });
    let file = |description: &str| json!({"schema": {"type": "string", "format": "binary", "description": description}});
    if let Some(item) = paths.get_mut("/api/reports").and_then(Value::as_object_mut) {
        item.insert("post".into(), json!({
            "operationId": "postReport",
            "summary": "Upload a report (editor): the text is stored in the data store, read with the same reader and served at once; survives a crash once answered",
            "security": bearer,
            "parameters": parameters(UPLOAD),
            "requestBody": {"required": true, "content": {
                "text/plain": file("The report as UTF-8 text; its fields as query parameters"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document": file("A .docx: its paragraphs are read as lines; its fields as query parameters"),
                "application/pdf": file("A PDF with a text layer (a scan without one is a 400 naming `file`); its fields as query parameters"),
                "application/json": {"schema": {
                "type": "object",
                "additionalProperties": false,
                "required": ["text"],
                "properties": {
                    "id": {"type": "string", "maxLength": 120, "description": "Letters, digits, CJK, -, _, . (not first); default upload-<change number>"},
                    "text": {"type": "string", "description": "The report, UTF-8"},
                    "title": {"type": "string"},
                    "district": {"type": "string"},
                    "year": {"type": "integer"},
                    "kind": {"type": "string", "description": "工作报告, 规划, 行动计划, 通知, 新闻, 其他"},
                    "note": {"type": "string", "description": "Why it is added (default 上传报告)"}
                }
            }}}},
            "responses": post_responses,
        }));
    }
    let mut delete_responses = common(&[
        ("400", "No note (?note= or body {\"note\"})"),
        ("404", "No such report"),
        (
            "409",
            "A --seeds report: the read-only base cannot be deleted",
        ),
    ]);
    delete_responses["200"] = json!({"description": "{id, removed: true, change, editor, at, note}; the stored text stays in the store's history", "headers": change, "content": {"application/json": {"schema": {"type": "object"}}}});
    let mut delete_params = vec![
        json!({"name": "reportId", "in": "path", "required": true, "schema": {"type": "string"}}),
    ];
    delete_params.extend(parameters(NOTE_DELETE));
    if let Some(item) = paths
        .get_mut("/api/reports/{reportId}")
        .and_then(Value::as_object_mut)
    {
        item.insert("delete".into(), json!({
            "operationId": "deleteReport",
            "summary": "Take an uploaded report out (editor); its features leave every answer",
            "security": bearer,
            "parameters": delete_params,
            "requestBody": {"required": false, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "properties": {"note": {"type": "string"}}}}}},
            "responses": delete_responses,
        }));
    }
    let verdict = json!({"type": "object", "properties": {
        "name": {"type": "string"}, "verdict": {"type": "string", "enum": ["place", "not_place"], "nullable": true},
        "layer": {"type": "string", "nullable": true}, "kind": {"type": "string", "nullable": true},
        "note": {"type": "string"}, "editor": {"type": "string"}, "at": {"type": "string"}, "change": {"type": "integer"}
    }});
    let name = json!({"name": "name", "in": "path", "required": true, "description": "The name, as the reports write it (normalised to Simplified)", "schema": {"type": "string", "minLength": 2, "maxLength": 64}});
    let mut put_responses = common(&[(
        "400",
        "Not JSON, an unknown field, a verdict other than place/not_place, an unknown layer, a name of fewer than 2 or more than 64 characters, an empty note; `parameter` names it",
    )]);
    put_responses["200"] = json!({"description": "The verdict as stored", "headers": change, "content": {"application/json": {"schema": verdict}}});
    let mut withdraw_responses = common(&[("400", "No note"), ("404", "No verdict on this name")]);
    withdraw_responses["200"] = json!({"description": "The withdrawal as stored (verdict null)", "headers": change, "content": {"application/json": {"schema": verdict}}});
    let mut withdraw_params = vec![name.clone()];
    withdraw_params.extend(parameters(NOTE_DELETE));
    paths.insert("/api/lexicon/{name}".into(), json!({
        "put": {
            "operationId": "putVerdict",
            "summary": "A planner's verdict on a name (editor): not_place takes it out of every report (items, near, search, compare, the reading pane); place makes the reader find it in every report (unlocated until placed, on `layer` if given)",
            "security": bearer,
            "parameters": [name],
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
                "type": "object", "additionalProperties": false, "required": ["verdict", "note"],
                "properties": {
                    "verdict": {"type": "string", "enum": ["place", "not_place"]},
                    "layer": {"type": "string", "enum": ["zones", "streets", "projects"]},
                    "kind": {"type": "string", "maxLength": 32},
                    "note": {"type": "string", "maxLength": 2000}
                }
            }}}},
            "responses": put_responses,
        },
        "delete": {
            "operationId": "deleteVerdict",
            "summary": "Withdraw the verdict on a name (editor), recorded as a version",
            "security": bearer,
            "parameters": withdraw_params,
            "responses": withdraw_responses,
        }
    }));
    paths.insert("/api/lexicon".into(), json!({"get": {
        "operationId": "lexicon",
        "summary": "The planners' verdicts: {verdicts: live ones by name, history: every version newest first}, each {name, verdict, layer, kind, note, editor, at, change}",
        "parameters": parameters(META),
        "responses": {"200": {"description": "the verdicts", "headers": change, "content": {"application/json": {"schema": {"type": "object", "properties": {"verdicts": {"type": "array", "items": verdict}, "history": {"type": "array", "items": verdict}}}}}}, "400": error("A bad parameter")}
    }}));
}
