//! The one message catalogue for all user-facing Russian text, and the UI formatting of numbers and dates.
//!
//! Messages live in `crates/i18n/ru/*.ftl` (Fluent syntax, one file per product area; all files form one
//! catalogue and an id may be defined only once). Plural forms use Fluent's CLDR rules for Russian
//! (`one`, `few`, `many`, `other`). This crate must not know about HTTP, databases or the methodology.

mod format;

pub use fluent_bundle::{FluentArgs, FluentValue};
pub use format::{format_date, format_datetime, format_decimal, format_int, parse_date};

use fluent_bundle::FluentResource;
use fluent_bundle::concurrent::FluentBundle;
use rust_embed::RustEmbed;
use std::sync::OnceLock;

#[derive(RustEmbed)]
#[folder = "ru/"]
struct RuFiles;

type Bundle = FluentBundle<FluentResource>;

fn bundle() -> &'static Bundle {
    static BUNDLE: OnceLock<Bundle> = OnceLock::new();
    BUNDLE.get_or_init(|| build_bundle().unwrap_or_else(|errors| panic!("message catalogue is broken: {errors:?}")))
}

/// Builds the catalogue, returning every parse error and duplicate id found.
fn build_bundle() -> Result<Bundle, Vec<String>> {
    let lang: unic_langid::LanguageIdentifier = "ru".parse().expect("valid language id");
    let mut bundle = FluentBundle::new_concurrent(vec![lang]);
    // Unicode isolation marks around placeables would leak into HTML attributes and CSV files.
    bundle.set_use_isolating(false);
    let mut errors = Vec::new();
    let mut names: Vec<_> = RuFiles::iter().collect();
    names.sort();
    for name in names {
        let file = RuFiles::get(&name).expect("listed file exists");
        let text = String::from_utf8_lossy(&file.data).into_owned();
        let resource = match FluentResource::try_new(text) {
            Ok(r) => r,
            Err((r, errs)) => {
                errors.extend(errs.iter().map(|e| format!("{name}: {e:?}")));
                r
            }
        };
        if let Err(errs) = bundle.add_resource(resource) {
            errors.extend(errs.iter().map(|e| format!("{name}: {e:?}")));
        }
    }
    if errors.is_empty() { Ok(bundle) } else { Err(errors) }
}

/// Whether the catalogue defines `id`.
pub fn has(id: &str) -> bool {
    bundle().has_message(id)
}

/// The message `id` without arguments. An unknown id yields the id itself (and tests catch it).
pub fn t(id: &str) -> String {
    format_message(id, None)
}

/// The message `id` with arguments, e.g. `t_args("responses-count", &[("n", 5.into())])`.
pub fn t_args(id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
    let mut fargs = FluentArgs::new();
    for (k, v) in args {
        fargs.set(*k, v.clone());
    }
    format_message(id, Some(&fargs))
}

fn format_message(id: &str, args: Option<&FluentArgs<'_>>) -> String {
    let bundle = bundle();
    let (msg_id, attr) = match id.split_once('.') {
        Some((m, a)) => (m, Some(a)),
        None => (id, None),
    };
    let Some(msg) = bundle.get_message(msg_id) else {
        return id.to_string();
    };
    let pattern = match attr {
        Some(a) => msg.get_attribute(a).map(|a| a.value()),
        None => msg.value(),
    };
    let Some(pattern) = pattern else {
        return id.to_string();
    };
    let mut errors = Vec::new();
    bundle.format_pattern(pattern, args, &mut errors).into_owned()
}

/// `t!("id")` or `t!("id", n = 5, name = "x")`.
#[macro_export]
macro_rules! t {
    ($id:expr) => { $crate::t($id) };
    ($id:expr, $($k:ident = $v:expr),+ $(,)?) => {
        $crate::t_args($id, &[$((stringify!($k), $crate::FluentValue::from($v))),+])
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_parses_without_errors_or_duplicates() {
        if let Err(errors) = build_bundle() {
            panic!("catalogue errors: {errors:#?}");
        }
    }

    #[test]
    fn russian_plurals() {
        assert_eq!(t!("test-responses", n = 1), "1 ответ");
        assert_eq!(t!("test-responses", n = 3), "3 ответа");
        assert_eq!(t!("test-responses", n = 5), "5 ответов");
        assert_eq!(t!("test-responses", n = 21), "21 ответ");
        assert_eq!(t!("test-responses", n = 112), "112 ответов");
    }

    #[test]
    fn unknown_id_is_returned_as_is() {
        assert_eq!(t("no-such-message-id"), "no-such-message-id");
        assert!(!has("no-such-message-id"));
    }
}
