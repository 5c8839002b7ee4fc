//! Table helpers: page links and sortable column headers (with `aria-sort`).

use crate::routes::registry::ListQuery;
use nok_store::repo::organizations::SortKey;

pub struct PageLink {
    pub number: u64,
    pub href: String,
    pub current: bool,
}

pub struct Pager {
    pub page: u64,
    pub pages: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub links: Vec<PageLink>,
}

impl Pager {
    /// Links around the current page (at most 7), plus previous/next.
    pub fn new(page: u64, pages: u64, href: impl Fn(u64) -> String) -> Pager {
        let start = page.saturating_sub(3).max(1);
        let end = (start + 6).min(pages);
        let links = (start..=end).map(|n| PageLink { number: n, href: href(n), current: n == page }).collect();
        Pager {
            page,
            pages,
            prev: (page > 1).then(|| href(page - 1)),
            next: (page < pages).then(|| href(page + 1)),
            links,
        }
    }
}

pub struct SortLink {
    pub label: String,
    pub href: String,
    /// `ascending`, `descending` or `none`.
    pub aria_sort: &'static str,
}

/// Column headers of the registry list: clicking sorts by the column, clicking again reverses.
pub fn sort_links(q: &ListQuery) -> Vec<SortLink> {
    let current = q.sort.unwrap_or_default();
    let desc = q.dir.as_deref() == Some("desc");
    [
        (SortKey::Name, "registry-col-name"),
        (SortKey::Inn, "registry-col-inn"),
        (SortKey::Region, "registry-col-region"),
        (SortKey::Sphere, "registry-col-sphere"),
        (SortKey::Population, "registry-col-population"),
    ]
    .into_iter()
    .map(|(key, label)| {
        let active = key == current;
        let next_dir = if active && !desc { "desc" } else { "asc" };
        SortLink {
            label: nok_i18n::t(label),
            href: format!("/registry?{}", q.href(Some(key), Some(next_dir), None)),
            aria_sort: match (active, desc) {
                (true, false) => "ascending",
                (true, true) => "descending",
                _ => "none",
            },
        }
    })
    .collect()
}
