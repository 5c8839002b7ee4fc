//! The shipped versions: the TOML files under `methodology/` embedded at build time, loaded once,
//! oldest first. A shipped version may `extends` an earlier one.

use super::Definition;
use super::raw;
use std::sync::LazyLock;
use toml::Table;

macro_rules! shipped {
    ($($path:literal),* $(,)?) => {
        &[$(include_str!(concat!("../../../../methodology/", $path))),*]
    };
}

/// `(id, files)` of every shipped version, in `effective_from` order.
const SHIPPED: &[(&str, &[&str])] = &[
    (
        "nok-2024",
        shipped![
            "nok-2024/definition.toml",
            "nok-2024/questionnaire.toml",
            "nok-2024/spheres.toml",
            "nok-2024/checklists/common.toml",
            "nok-2024/checklists/culture.toml",
            "nok-2024/checklists/health.toml",
            "nok-2024/checklists/education.toml",
            "nok-2024/checklists/social.toml",
            "nok-2024/checklists/mse.toml",
        ],
    ),
    ("nok-2025", shipped!["nok-2025/definition.toml", "nok-2025/checklists/health.toml"]),
];

struct Shipped {
    tables: Vec<Table>,
    definitions: Vec<Definition>,
}

static SHIPPED_DEFINITIONS: LazyLock<Shipped> = LazyLock::new(|| {
    let mut shipped = Shipped { tables: Vec::new(), definitions: Vec::new() };
    for (id, files) in SHIPPED {
        let base = |base_id: &str| {
            let i = shipped.definitions.iter().position(|d| d.id == base_id)?;
            Some(shipped.tables[i].clone())
        };
        let table =
            raw::merged_table(files, &base).unwrap_or_else(|e| panic!("shipped methodology {id} is broken: {e}"));
        let def =
            raw::from_table(table.clone(), None).unwrap_or_else(|e| panic!("shipped methodology {id} is broken: {e}"));
        assert_eq!(def.id, *id, "shipped methodology id");
        if let Some(prev) = shipped.definitions.last() {
            assert!(prev.effective_from < def.effective_from, "shipped methodologies must be in date order");
        }
        shipped.tables.push(table);
        shipped.definitions.push(def);
    }
    shipped
});

pub(super) fn definitions() -> &'static [Definition] {
    &SHIPPED_DEFINITIONS.definitions
}

/// The merged table of a shipped version, as a base for `extends`.
pub(super) fn base_table(id: &str) -> Option<Table> {
    let s = &*SHIPPED_DEFINITIONS;
    let i = s.definitions.iter().position(|d| d.id == id)?;
    Some(s.tables[i].clone())
}
