//! View models: what templates show, prepared from store rows (formatting, Russian names, links).

mod form;
mod options;
mod rows;
mod table;

pub use form::{FieldErrorView, OrgForm};
pub use options::{region_name, region_options, sphere_name, sphere_options};
pub use rows::{HistoryRow, OrgRow, RowErrorView};
pub use table::{Pager, SortLink, sort_links};
