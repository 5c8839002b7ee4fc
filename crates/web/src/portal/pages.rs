//! Rendered organisation pages for anonymous visitors. The page is the same for every anonymous visitor
//! but for one value: the CSRF token of the forms on it, which depends on the visitor's device cookie. So
//! the page is rendered once with a random placeholder (the "slot") in place of the token, kept split
//! at the slot, and each request joins the pieces with its own token — no database read and no template
//! work per request. Signed-in users (whose header shows their name and role) and requests with a query
//! string always get a fresh render.
//!
//! Entries are dropped when a response for the organisation is committed on this instance, on any
//! successful change made through a form (see [`crate::portal::invalidate_on_change`]), and after a short
//! time, which bounds how stale a page may be when another instance made the change.

use super::cache::TtlCache;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// How long a rendered page is reused at most.
const PAGE_TTL: Duration = Duration::from_secs(10);
/// Most pages kept (each is a few tens of kilobytes).
const MAX_PAGES: usize = 20_000;

/// A rendered page cut at every occurrence of the token slot.
#[derive(Debug)]
pub struct RenderedPage {
    pieces: Vec<String>,
    len: usize,
}

impl RenderedPage {
    /// Cuts `html` at each occurrence of `slot`.
    pub fn new(html: &str, slot: &str) -> RenderedPage {
        let pieces: Vec<String> = html.split(slot).map(str::to_string).collect();
        let len = pieces.iter().map(String::len).sum();
        RenderedPage { pieces, len }
    }

    /// The page with `token` in every slot.
    pub fn with_token(&self, token: &str) -> String {
        let mut out = String::with_capacity(self.len + token.len() * self.pieces.len());
        for (i, piece) in self.pieces.iter().enumerate() {
            if i > 0 {
                out.push_str(token);
            }
            out.push_str(piece);
        }
        out
    }
}

/// Which variant of a page: the organisation's public id and whether the low-vision mode is on.
pub type PageKey = (String, bool);

/// The cache of rendered pages with its token slot.
pub struct PageCache {
    slot: String,
    pages: TtlCache<PageKey, Arc<RenderedPage>>,
    /// Bumped by every drop: a page (or figures) computed from data read before a drop is not kept.
    generation: AtomicU64,
}

impl Default for PageCache {
    fn default() -> Self {
        PageCache {
            // Random per process: user text on a page cannot contain it by chance or on purpose.
            slot: format!("slot{}", uuid::Uuid::new_v4().simple()),
            pages: TtlCache::new(PAGE_TTL, MAX_PAGES),
            generation: AtomicU64::new(0),
        }
    }
}

impl PageCache {
    /// The placeholder to render in place of the CSRF token.
    pub fn slot(&self) -> &str {
        &self.slot
    }

    pub fn get(&self, key: &PageKey) -> Option<Arc<RenderedPage>> {
        self.pages.get(key)
    }

    /// The current generation; read it before reading what a page shows.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// A page rendered with [`PageCache::slot`] as its token, kept unless something was dropped since
    /// `generation` (then its data may predate the change, and it serves only this request).
    pub fn put(&self, key: PageKey, html: &str, generation: u64) -> Arc<RenderedPage> {
        let page = Arc::new(RenderedPage::new(html, &self.slot));
        if self.generation() == generation {
            self.pages.put(key, page.clone());
        }
        page
    }

    /// Drops both variants of these organisations' pages.
    pub fn remove(&self, public_ids: &[String]) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        for id in public_ids {
            self.pages.remove(&(id.clone(), false));
            self.pages.remove(&(id.clone(), true));
        }
    }

    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.pages.remove_where(|_| true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_slot_gets_the_token() {
        let cache = PageCache::default();
        let html = format!("<input value=\"{0}\"><p>x</p><input value=\"{0}\">", cache.slot());
        let page = cache.put(("o1".into(), false), &html, cache.generation());
        assert_eq!(page.with_token("T"), "<input value=\"T\"><p>x</p><input value=\"T\">");
        assert!(cache.get(&("o1".into(), false)).is_some());
        assert!(cache.get(&("o1".into(), true)).is_none());
        cache.remove(&["o1".into()]);
        assert!(cache.get(&("o1".into(), false)).is_none());
    }

    #[test]
    fn a_page_rendered_before_a_drop_is_not_kept() {
        let cache = PageCache::default();
        let before = cache.generation();
        cache.remove(&["o2".into()]);
        let page = cache.put(("o1".into(), false), "<p>old</p>", before);
        assert_eq!(page.with_token("T"), "<p>old</p>", "it still serves the request that rendered it");
        assert!(cache.get(&("o1".into(), false)).is_none());
    }

    #[test]
    fn a_page_without_a_slot_is_kept_whole() {
        assert_eq!(RenderedPage::new("<p>x</p>", "slot1").with_token("T"), "<p>x</p>");
    }
}
