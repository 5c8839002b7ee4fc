//! The survey channels the store counts (product spec C2): every response is tagged with one, and the live
//! counters keep one column per channel in `survey_counter` (`ch_<code>`, migration
//! `m0014_channel_columns`). The web layer's `Channel` enum has the same codes (its tests check it). Adding
//! a channel takes a migration that adds its column and rebuilds the view and the triggers.

/// Channel codes, in the order of their counter columns.
pub const CHANNELS: [&str; 10] = [
    "qr_poster",
    "qr_paper",
    "qr_screen",
    "website_widget",
    "invitation",
    "portal",
    "operator_interview",
    "phone",
    "paper",
    "api",
];

/// Whether `code` is a channel the store counts.
pub fn is_known(code: &str) -> bool {
    CHANNELS.contains(&code)
}

/// The `survey_counter` column that counts responses of `code`.
pub fn counter_column(code: &str) -> String {
    format!("ch_{code}")
}
