//! What the widget asks the portal for a code and what came back, as plain data: the reducer
//! judges it without knowing how it was fetched.

use tem_core::record::{LocalText, RecallNotice};
use tem_core::scan::ScanHistory;
use tem_core::trust::TrustList;

use crate::i18n::{Lang, Msg};

/// What the portal must be asked for a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A GS1 Digital Link path (`/01/…/10/…`) for the resolver.
    Resolver(String),
    /// A record id typed in by hand.
    Record(String),
}

/// Why an answer could not be used. Only the portal's own JSON `not_found` is `NotFound`;
/// anything else that is not the answer asked for is "could not check".
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FetchError {
    NotFound,
    /// The portal answered with an error other than its "not found".
    Refused {
        status: u16,
    },
    Offline,
    Timeout,
    /// The answer grew past its cap; reading stopped there.
    TooLarge,
    /// The answer is not what was asked for.
    Malformed(String),
}

impl FetchError {
    pub fn message(&self, lang: Lang) -> String {
        self.text().get(lang.is_en()).to_string()
    }

    /// The shopper's words for it. A malformed answer's own description is a parser's, in
    /// English: it stays out of these, for `detail`.
    pub fn text(&self) -> LocalText {
        match self {
            FetchError::NotFound => Msg::NotFound,
            FetchError::Refused { status } => {
                let status = status.to_string();
                return LocalText::both(
                    Msg::Refused.fill(Lang::Vi, &status),
                    Msg::Refused.fill(Lang::En, &status),
                );
            }
            FetchError::Offline => Msg::Offline,
            FetchError::Timeout => Msg::Timeout,
            FetchError::TooLarge => Msg::TooLarge,
            FetchError::Malformed(_) => Msg::Malformed,
        }
        .both()
    }

    /// What went wrong in technical terms, for whoever opens the details.
    pub fn detail(&self) -> Option<&str> {
        match self {
            FetchError::Malformed(why) => Some(why),
            _ => None,
        }
    }
}

/// The trust list the widget holds for this check.
#[derive(Debug, Clone)]
pub enum TrustHeld {
    /// Verified against the built-in root; `cached` when a fresh copy could not be had.
    List {
        list: TrustList,
        fetched_at: i64,
        cached: bool,
    },
    Expired {
        exp: i64,
        fetched_at: i64,
    },
    Unavailable(LocalText),
}

/// Every answer gathered for one code.
#[derive(Debug, Clone)]
pub struct Answers {
    pub trust: TrustHeld,
    /// The record as sent: a compact JWS.
    pub record: Result<String, FetchError>,
    /// Set when the network failed and the record is the copy this device kept, at that time
    /// (unix seconds).
    pub record_cached_at: Option<i64>,
    /// The issuer's resolver that was asked (record, scans, recalls), when the trust list
    /// names one for the stamp's domain; None for the widget's own portal.
    pub resolver: Option<String>,
    /// None when the stamp has no serial, so no scan was counted.
    pub scans: Option<Result<ScanHistory, FetchError>>,
    pub recalls: Result<Vec<RecallNotice>, FetchError>,
    /// Unix seconds when the answers were in.
    pub now: i64,
}
