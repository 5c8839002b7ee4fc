//! The browsable API documentation: the OpenAPI document turned into a page (operations with their
//! parameters, request example, responses; the schemas) on the server, with no outside scripts or styles.

use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use askama::Template;
use serde_json::Value;

pub struct Param {
    pub name: String,
    pub location: String,
    pub required: bool,
    pub kind: String,
    pub description: String,
}

pub struct ResponseView {
    pub code: String,
    pub description: String,
    pub example: Option<String>,
}

pub struct Operation {
    pub anchor: String,
    pub method: String,
    pub path: String,
    pub summary: String,
    pub description: Vec<String>,
    pub parameters: Vec<Param>,
    pub request_example: Option<String>,
    pub request_schema: Option<String>,
    pub responses: Vec<ResponseView>,
}

pub struct Property {
    pub name: String,
    pub kind: String,
    pub required: bool,
    pub description: String,
}

pub struct SchemaView {
    pub name: String,
    pub description: Vec<String>,
    pub properties: Vec<Property>,
}

#[derive(Template)]
#[template(path = "api/docs.html")]
pub struct DocsPage {
    pub ctx: Ctx,
    pub title: String,
    pub version: String,
    pub description: Vec<String>,
    pub operations: Vec<Operation>,
    pub schemas: Vec<SchemaView>,
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or_default().to_string()
}

fn paragraphs(s: &str) -> Vec<String> {
    s.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect()
}

/// `string`, `integer (int32)`, `array of Receipt`, the name of a referenced schema, `a | b` for enums.
fn kind(schema: &Value) -> String {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values
            .iter()
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join(" | ");
    }
    let mut t = match schema.get("type") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" | "),
        _ => String::new(),
    };
    if t == "array"
        && let Some(items) = schema.get("items")
    {
        t = format!("array of {}", kind(items));
    }
    if let Some(f) = schema.get("format").and_then(Value::as_str) {
        t = format!("{t} ({f})");
    }
    t
}

fn pretty(v: Option<&Value>) -> Option<String> {
    v.and_then(|v| serde_json::to_string_pretty(v).ok())
}

fn operation(path: &str, method: &str, op: &Value) -> Operation {
    let parameters = op
        .get("parameters")
        .and_then(Value::as_array)
        .map(|ps| {
            ps.iter()
                .map(|p| Param {
                    name: text(p, "name"),
                    location: text(p, "in"),
                    required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
                    kind: p.get("schema").map(kind).unwrap_or_default(),
                    description: text(p, "description"),
                })
                .collect()
        })
        .unwrap_or_default();
    let json_body = op.pointer("/requestBody/content/application~1json");
    let responses = op
        .get("responses")
        .and_then(Value::as_object)
        .map(|rs| {
            rs.iter()
                .map(|(code, r)| ResponseView {
                    code: code.clone(),
                    description: text(r, "description"),
                    example: pretty(r.pointer("/content/application~1json/example")),
                })
                .collect()
        })
        .unwrap_or_default();
    Operation {
        anchor: format!("{method}-{}", path.replace(['/', '{', '}'], "-")),
        method: method.to_uppercase(),
        path: path.to_string(),
        summary: text(op, "summary"),
        description: paragraphs(&text(op, "description")),
        parameters,
        request_example: pretty(json_body.and_then(|b| b.get("example"))),
        request_schema: json_body.and_then(|b| b.get("schema")).map(kind),
        responses,
    }
}

fn schema_view(name: &str, s: &Value) -> SchemaView {
    let required: Vec<&str> = s
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let properties = s
        .get("properties")
        .and_then(Value::as_object)
        .map(|ps| {
            ps.iter()
                .map(|(n, p)| Property {
                    name: n.clone(),
                    kind: kind(p),
                    required: required.contains(&n.as_str()),
                    description: text(p, "description"),
                })
                .collect()
        })
        .unwrap_or_default();
    SchemaView { name: name.to_string(), description: paragraphs(&text(s, "description")), properties }
}

impl DocsPage {
    /// The page of an OpenAPI 3 document.
    pub fn new(ctx: Ctx, document: &str) -> AppResult<DocsPage> {
        let doc: Value =
            serde_json::from_str(document).map_err(|e| AppError::Internal(format!("openapi.json: {e}")))?;
        let mut operations = Vec::new();
        if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
            for (path, item) in paths {
                for method in ["get", "post", "put", "patch", "delete"] {
                    if let Some(op) = item.get(method) {
                        operations.push(operation(path, method, op));
                    }
                }
            }
        }
        let schemas = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|s| s.iter().map(|(n, v)| schema_view(n, v)).collect())
            .unwrap_or_default();
        let info = doc.get("info").cloned().unwrap_or(Value::Null);
        Ok(DocsPage {
            ctx,
            title: text(&info, "title"),
            version: text(&info, "version"),
            description: paragraphs(&text(&info, "description")),
            operations,
            schemas,
        })
    }
}
