//! The registry of organisations (C1) as pure domain rules and file formats: regions, ИНН/ОГРН/КПП, the
//! organisation record and its validation, CSV/XLSX import with per-row errors, CSV/XLSX/JSON export, and a
//! deterministic demo region.
//!
//! No database, no HTTP, no clock: the store decides what to do with the records (e.g. refuse the whole import if
//! any row failed), the web shows the Russian messages this crate produces. All user-facing text comes from the
//! message catalogue (`crates/i18n/ru/registry.ftl`).

pub mod cells;
pub mod columns;
pub mod demo;
pub mod export;
pub mod ids;
pub mod import;
pub mod record;
pub mod regions;

pub use cells::parse_sphere;
pub use columns::Column;
pub use export::{ExportError, write_csv, write_json, write_xlsx, write_xlsx_file};
pub use ids::IdError;
pub use import::{FileKind, ImportError, RowError, RowIter, read_organizations};
pub use nok_methodology::Sphere;
pub use record::{FieldError, OrganizationRecord, Problem};
pub use regions::Region;
