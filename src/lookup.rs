//! What the widget asks the portal for a code and what came back, as plain data: the reducer
//! judges it without knowing how it was fetched.

use tem_core::record::{LocalText, RecallNotice};
use tem_core::scan::ScanHistory;
use tem_core::trust::TrustList;

use crate::i18n::Lang;

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

    pub fn text(&self) -> LocalText {
        match self {
            FetchError::NotFound => LocalText::both(
                "Cổng truy xuất không có hồ sơ cho mã này.",
                "The portal has no record for this code.",
            ),
            FetchError::Refused { status } => LocalText::both(
                format!("Cổng truy xuất báo lỗi (mã {status}). Vui lòng thử lại sau."),
                format!(
                    "The portal answered with an error (status {status}). Please try again later."
                ),
            ),
            FetchError::Offline => LocalText::both(
                "Không kết nối được cổng truy xuất. Kiểm tra mạng rồi thử lại.",
                "Could not reach the portal. Check your connection and try again.",
            ),
            FetchError::Timeout => LocalText::both(
                "Cổng truy xuất phản hồi quá chậm.",
                "The portal took too long to answer.",
            ),
            FetchError::TooLarge => LocalText::both(
                "Dữ liệu nhận được quá lớn, đã bị từ chối.",
                "The data received was too large and was refused.",
            ),
            FetchError::Malformed(why) => LocalText::both(
                format!("Dữ liệu nhận được không hợp lệ: {why}"),
                format!("The data received is not valid: {why}"),
            ),
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
    /// None when the stamp has no serial, so no scan was counted.
    pub scans: Option<Result<ScanHistory, FetchError>>,
    pub recalls: Result<Vec<RecallNotice>, FetchError>,
    /// Unix seconds when the answers were in.
    pub now: i64,
}
