//! What the coverage, scan and improvement-plan tables share: the filter query (region, authority, period,
//! search text, plan state, sort, page),
//! its links with another sort or page, sortable headers with `aria-sort`, and file exports (CSV for
//! Excel and XLSX through the shared table writer, `crate::portal::export`).

use super::access::non_empty;
use crate::views::{Pager, SortLink};
use serde::Deserialize;

/// Rows on a page of a cabinet table.
pub const PER_PAGE: u64 = 50;
/// Rows in an export at most.
pub const EXPORT_LIMIT: u64 = 100_000;

/// Filters and order of a cabinet table.
#[derive(Deserialize, Default, Clone)]
pub struct TableQuery {
    pub region: Option<String>,
    pub authority: Option<String>,
    pub period: Option<i32>,
    pub failing: Option<String>,
    /// Part of a name, or an ИНН (tables that search).
    pub q: Option<String>,
    /// The state of the improvement plan (the plans table).
    pub plan: Option<String>,
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<u64>,
}

impl TableQuery {
    pub fn period(&self) -> i32 {
        self.period.filter(|p| (2000..=2100).contains(p)).unwrap_or_else(super::access::current_period)
    }

    pub fn region(&self) -> Option<String> {
        non_empty(&self.region)
    }

    pub fn authority_id(&self) -> Option<i32> {
        non_empty(&self.authority).and_then(|a| a.parse().ok())
    }

    pub fn failing_only(&self) -> bool {
        self.failing.as_deref() == Some("1")
    }

    pub fn descending(&self) -> bool {
        self.dir.as_deref() == Some("desc")
    }

    /// The sort key as typed, if it is one of `keys`.
    pub fn sort_key<'a>(&self, keys: &[&'a str]) -> Option<&'a str> {
        let s = self.sort.as_deref()?;
        keys.iter().find(|k| **k == s).copied()
    }

    /// `key=value&…` of these filters with another sort or page (empty values left out).
    pub fn href(&self, sort: Option<(&str, &str)>, page: Option<u64>) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (k, v) in [
            ("q", &self.q),
            ("region", &self.region),
            ("authority", &self.authority),
            ("failing", &self.failing),
            ("plan", &self.plan),
        ] {
            if let Some(v) = non_empty(v) {
                pairs.push((k, v));
            }
        }
        pairs.push(("period", self.period().to_string()));
        match sort {
            Some((key, dir)) => {
                pairs.push(("sort", key.to_string()));
                pairs.push(("dir", dir.to_string()));
            }
            None => {
                if let Some(s) = non_empty(&self.sort) {
                    pairs.push(("sort", s));
                }
                if let Some(d) = non_empty(&self.dir) {
                    pairs.push(("dir", d));
                }
            }
        }
        if let Some(p) = page {
            pairs.push(("page", p.to_string()));
        }
        serde_urlencoded::to_string(&pairs).unwrap_or_default()
    }

    /// Sortable headers `(key, catalogue id)` for the table at `path`; `default` is the key used when
    /// none is chosen.
    pub fn sort_links(&self, path: &str, columns: &[(&str, &str)], default: &str) -> Vec<SortLink> {
        let current = self.sort.as_deref().unwrap_or(default);
        let desc = self.descending();
        columns
            .iter()
            .map(|(key, label)| {
                let active = *key == current;
                let next = if active && !desc { "desc" } else { "asc" };
                SortLink {
                    label: nok_i18n::t(label),
                    href: format!("{path}?{}", self.href(Some((key, next)), None)),
                    aria_sort: match (active, desc) {
                        (true, false) => "ascending",
                        (true, true) => "descending",
                        _ => "none",
                    },
                }
            })
            .collect()
    }

    pub fn pager(&self, path: &str, page: u64, pages: u64) -> Pager {
        Pager::new(page, pages, |p| format!("{path}?{}", self.href(None, Some(p))))
    }
}
