//! Rows of tables: organisations, history entries, import errors.

use super::options::{region_name, sphere_name};
use nok_i18n::{format_datetime, format_int};
use nok_store::entities::organization;
use nok_store::repo::audit::HistoryEntry;

pub struct OrgRow {
    pub id: i32,
    pub short_name: String,
    pub full_name: String,
    pub inn: String,
    pub region: String,
    pub sphere: String,
    pub population: String,
    pub active: bool,
}

impl OrgRow {
    pub fn new(m: &organization::Model, regions: &[(String, String)]) -> OrgRow {
        OrgRow {
            id: m.id,
            short_name: m.short_name.clone(),
            full_name: m.full_name.clone(),
            inn: m.inn.clone(),
            region: region_name(regions, &m.region_code),
            sphere: sphere_name(&m.sphere),
            population: format_int(m.population),
            active: m.active,
        }
    }
}

pub struct Change {
    pub field: String,
    pub before: String,
    pub after: String,
}

pub struct HistoryRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub changes: Vec<Change>,
}

fn show(v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => "—".into(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

impl From<HistoryEntry> for HistoryRow {
    fn from(e: HistoryEntry) -> Self {
        let empty = serde_json::Map::new();
        let before = e.before.as_ref().and_then(|v| v.as_object()).unwrap_or(&empty);
        let after = e.after.as_ref().and_then(|v| v.as_object()).unwrap_or(&empty);
        let mut keys: Vec<&String> = before.keys().chain(after.keys()).collect();
        keys.sort();
        keys.dedup();
        let changes = keys
            .into_iter()
            .filter(|k| before.get(*k) != after.get(*k))
            .map(|k| Change {
                field: nok_registry::columns::Column::from_header(k).map(|c| c.header()).unwrap_or_else(|| k.clone()),
                before: show(before.get(k)),
                after: show(after.get(k)),
            })
            .collect();
        HistoryRow {
            at: format_datetime(nok_store::time_util::to_datetime(e.at)),
            actor: e.actor_login,
            action: nok_i18n::t(&format!("audit-{}", e.action.replace('.', "-"))),
            changes,
        }
    }
}

pub struct RowErrorView {
    pub row: usize,
    pub column: String,
    pub value: String,
    pub reason: String,
}

impl From<&nok_registry::import::RowError> for RowErrorView {
    fn from(e: &nok_registry::import::RowError) -> Self {
        RowErrorView {
            row: e.row,
            column: e.column.clone(),
            value: e.value.chars().take(80).collect(),
            reason: e.reason.clone(),
        }
    }
}
