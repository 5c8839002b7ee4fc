//! Fixtures shared by the `nok` command tests.

#![allow(dead_code)]

/// The shared organisation fixture (`nok_store::db::testing::record`).
#[allow(unused_imports)]
pub use nok_store::db::testing::record;
