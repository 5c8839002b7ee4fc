//! Questionnaire links: which URL a code encodes for each medium, and the short link printed under it.
//!
//! The public base URL comes from configuration (the caller passes it); this module only joins and checks
//! strings, it never reads configuration or the database.

use crate::PrintError;

/// Where a code is shown. Each medium tags the questionnaire link with its survey channel, so responses
/// are counted per channel (poster, paper, screen, website widget).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Medium {
    /// A printed poster (A4, A3).
    Poster,
    /// Paper labels on tickets and booklets.
    Paper,
    /// A terminal or TV screen.
    Screen,
    /// The widget on the organisation's website.
    Website,
}

impl Medium {
    /// Every medium, in the order materials are listed to the user.
    pub const ALL: [Medium; 4] = [Medium::Poster, Medium::Paper, Medium::Screen, Medium::Website];

    /// The survey channel tag put into the link (`?ch=`).
    pub fn channel(self) -> &'static str {
        match self {
            Medium::Poster => "qr_poster",
            Medium::Paper => "qr_paper",
            Medium::Screen => "qr_screen",
            Medium::Website => "website_widget",
        }
    }
}

fn trim_base(base_url: &str) -> &str {
    base_url.trim().trim_end_matches('/')
}

/// The organisation's questionnaire link for a medium: `{base}/o/{public_id}/anketa?ch={channel}`.
pub fn questionnaire_url(base_url: &str, org_public_id: &str, medium: Medium) -> String {
    format!("{}/o/{}/anketa?ch={}", trim_base(base_url), org_public_id.trim(), medium.channel())
}

/// The short link printed under a code for people who type it: `{base}/q/{public_id}`.
pub fn short_url(base_url: &str, org_public_id: &str) -> String {
    format!("{}/q/{}", trim_base(base_url), org_public_id.trim())
}

/// How a link is printed: without the `https://` prefix (phones add it), kept for plain `http://`.
pub fn display_url(url: &str) -> &str {
    url.strip_prefix("https://").unwrap_or(url)
}

/// Accepts only absolute `http(s)://` links of printable ASCII without spaces or markup characters, so a
/// link can go into a QR code, an `href` and a printed line as it is.
pub fn check_url(url: &str) -> Result<(), PrintError> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    let ok = match rest {
        Some(rest) => {
            !rest.is_empty()
                && !rest.starts_with('/')
                && url.len() <= 1000
                && url.bytes().all(|b| b.is_ascii_graphic() && !matches!(b, b'"' | b'<' | b'>' | b'\\' | b'`'))
        }
        None => false,
    };
    if ok { Ok(()) } else { Err(PrintError::BadUrl(url.to_string())) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_channel_tagged() {
        assert_eq!(
            questionnaire_url("https://nok.example.ru/", "A7K2", Medium::Poster),
            "https://nok.example.ru/o/A7K2/anketa?ch=qr_poster"
        );
        assert_eq!(
            questionnaire_url("https://nok.example.ru", "A7K2", Medium::Website),
            "https://nok.example.ru/o/A7K2/anketa?ch=website_widget"
        );
        assert_eq!(short_url("https://nok.example.ru/", "A7K2"), "https://nok.example.ru/q/A7K2");
        let channels: Vec<_> = Medium::ALL.iter().map(|m| m.channel()).collect();
        assert_eq!(channels, ["qr_poster", "qr_paper", "qr_screen", "website_widget"]);
    }

    #[test]
    fn only_plain_http_links_pass() {
        assert!(check_url("https://nok.example.ru/q/A7K2").is_ok());
        assert!(check_url("http://localhost:8080/q/1").is_ok());
        for bad in ["", "javascript:alert(1)", "https://", "https://a b", "https://x/\"><script>", "ftp://x"] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
        assert_eq!(display_url("https://nok.example.ru/q/A7K2"), "nok.example.ru/q/A7K2");
        assert_eq!(display_url("http://localhost/q/1"), "http://localhost/q/1");
    }
}
