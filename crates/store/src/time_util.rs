//! Timestamps are stored as Unix seconds (i64) on both backends: portable and unambiguous.

use time::OffsetDateTime;

pub fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

pub fn to_datetime(ts: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(ts).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The assessment period (calendar year) a moment belongs to.
pub fn period_of(ts: i64) -> i32 {
    to_datetime(ts).year()
}
