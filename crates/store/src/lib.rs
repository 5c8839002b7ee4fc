//! The database: entities, migrations, scoped repositories, live survey counters and the audit log.
//!
//! One code path serves SQLite (embedded, WAL, one writer) and PostgreSQL. Backend differences live only in
//! [`db`]. Every repository call that reads or changes registry objects takes the acting user ([`Actor`]) and
//! filters by its scope here, in the store — handlers never decide visibility themselves.
//! This crate must not render HTML or know about HTTP.

pub mod channels;
pub mod checkpoint;
pub mod counting;
pub mod crypto;
pub mod data_key;
pub mod db;
pub mod entities;
pub mod error;
pub mod migration;
pub mod moderation;
pub mod repo;
pub mod scope;
pub mod time_util;

pub use db::Db;
pub use error::StoreError;
pub use scope::{Actor, Role};
