//! Survey channels: where a response came from. Every response is tagged with one; QR codes and widgets
//! put it into the questionnaire link (`?ch=`), API clients send it. The list is fixed (product spec C2).

use serde::Serialize;

/// A survey channel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    QrPoster,
    QrPaper,
    QrScreen,
    WebsiteWidget,
    Invitation,
    Portal,
    OperatorInterview,
    Phone,
    Paper,
    Api,
}

impl Channel {
    pub const ALL: [Channel; 10] = [
        Channel::QrPoster,
        Channel::QrPaper,
        Channel::QrScreen,
        Channel::WebsiteWidget,
        Channel::Invitation,
        Channel::Portal,
        Channel::OperatorInterview,
        Channel::Phone,
        Channel::Paper,
        Channel::Api,
    ];

    /// The code stored with responses and used in links and the API.
    pub fn code(self) -> &'static str {
        match self {
            Channel::QrPoster => "qr_poster",
            Channel::QrPaper => "qr_paper",
            Channel::QrScreen => "qr_screen",
            Channel::WebsiteWidget => "website_widget",
            Channel::Invitation => "invitation",
            Channel::Portal => "portal",
            Channel::OperatorInterview => "operator_interview",
            Channel::Phone => "phone",
            Channel::Paper => "paper",
            Channel::Api => "api",
        }
    }

    pub fn from_code(code: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The Russian name (from the catalogue).
    pub fn name_ru(self) -> String {
        nok_i18n::t(&format!("channel-{}", self.code().replace('_', "-")))
    }

    /// The Russian name of a stored channel code (the code itself when unknown).
    pub fn name_of(code: &str) -> String {
        Channel::from_code(code).map_or_else(|| code.to_string(), Channel::name_ru)
    }

    /// Whether the channel counts towards the online share of the sample (methodology §5; the store's list).
    pub fn is_online(self) -> bool {
        nok_store::repo::scores::is_online(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_have_names() {
        for c in Channel::ALL {
            assert_eq!(Channel::from_code(c.code()), Some(c));
            assert!(nok_i18n::has(&format!("channel-{}", c.code().replace('_', "-"))), "{c:?}");
        }
        assert_eq!(Channel::from_code("QR_POSTER"), None);
        assert_eq!(Channel::ALL.map(Channel::code), nok_store::channels::CHANNELS, "the store counts every channel");
        assert!(!Channel::Paper.is_online() && Channel::QrPoster.is_online());
    }
}
