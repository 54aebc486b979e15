//! The authenticity verdict: which checks ran, what each found, and what a shopper should
//! conclude from them (DESIGN §5).
//!
//! **Authentic needs every check to have run and passed**: the record's signature valid
//! against the trust list, the *signed* record's GTIN, lot and serial equal to the stamp's, the
//! stamp's domain one its issuer may use, not expired by the date in Việt Nam, not void, and a
//! per-item check (a normal scan history, or the unit sold at a retailer). The verdict fails
//! closed: a check that could not run (offline, timeout, an unknown key, a list past its
//! expiry, malformed data) leaves it at Caution at best. A recall is its own state, above the
//! others, since a recalled lot is usually genuine.

use serde::Serialize;

use crate::depth::{self, Depth};
use crate::payload::{Payload, Warning};
use crate::record::{LocalText, Recall, RecallNotice, TraceRecord};
use crate::scan::{ScanHistory, ScanPattern, UnitState};
use crate::time::{day_first, is_iso_date, rfc3339_to_unix, vietnam_date, vietnam_time};
use crate::trust::digsig::{self, StampSignature};
use crate::trust::{Jwk, SignatureStatus, TrustList, Verification};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictState {
    Authentic,
    Caution,
    NotAuthentic,
    /// The lot is recalled; shown in red above everything, whatever else the checks found,
    /// unless they found a fake.
    Recalled,
}

impl VerdictState {
    pub fn label(self) -> LocalText {
        match self {
            VerdictState::Authentic => LocalText::both("Xác thực", "Authentic"),
            VerdictState::Caution => LocalText::both("Cần lưu ý", "Caution"),
            VerdictState::NotAuthentic => LocalText::both("Không xác thực", "Not authentic"),
            VerdictState::Recalled => LocalText::both("Đã thu hồi", "Recalled"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CheckId {
    StampDomain,
    StampSignature,
    RecordFound,
    Signature,
    ProductMatches,
    LotMatches,
    SerialMatches,
    NotVoid,
    ItemHistory,
    NotExpired,
    TimelineConsistent,
    /// Real history, or a label "for show" ([`crate::depth`]).
    RecordDepth,
    NotRecalled,
}

impl CheckId {
    pub fn title(self) -> LocalText {
        let (vi, en) = match self {
            CheckId::StampDomain => ("Tên miền trên tem", "The stamp's domain"),
            CheckId::StampSignature => ("Chữ ký số trên tem", "The stamp's own signature"),
            CheckId::RecordFound => ("Có hồ sơ truy xuất", "Trace record found"),
            CheckId::Signature => ("Chữ ký số của hồ sơ", "Record signature"),
            CheckId::ProductMatches => ("Đúng sản phẩm", "Same product"),
            CheckId::LotMatches => ("Đúng lô hàng", "Same lot"),
            CheckId::SerialMatches => ("Đúng số sê-ri", "Same serial number"),
            CheckId::NotVoid => ("Tem còn hiệu lực", "Stamp not voided"),
            CheckId::ItemHistory => ("Lịch sử quét tem", "Stamp scan history"),
            CheckId::NotExpired => ("Còn hạn sử dụng", "Not expired"),
            CheckId::TimelineConsistent => ("Hành trình hợp lý", "Consistent history"),
            CheckId::RecordDepth => ("Độ đầy đủ của hồ sơ", "How complete the record is"),
            CheckId::NotRecalled => ("Không bị thu hồi", "Not recalled"),
        };
        LocalText::both(vi, en)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Passed,
    /// Ran and found something the shopper should know, but not proof of a fake.
    Warning,
    Failed,
    /// Could not run; the verdict cannot be "authentic".
    NotRun,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    pub id: CheckId,
    pub status: Status,
    pub detail: LocalText,
}

/// Which trust list the signatures were checked against, so the page can always say when it
/// was fetched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrustListInfo {
    /// Unix seconds.
    pub fetched_at: i64,
    /// The portal could not be reached: the last good copy was used.
    pub cached: bool,
    /// Past its own expiry, so not trusted.
    pub expired: bool,
}

impl TrustListInfo {
    /// How old the list is, in the shopper's words: one sentence, shown with every verdict.
    pub fn describe(&self) -> LocalText {
        let when = vietnam_time(self.fetched_at);
        match (self.expired, self.cached) {
            (true, _) => LocalText::both(
                format!("Danh sách khóa tin cậy (lưu từ {when}) đã hết hạn."),
                format!("The trust list (kept since {when}) has expired."),
            ),
            (false, true) => LocalText::both(
                format!("Danh sách khóa tin cậy lưu trên máy từ {when} (không tải được bản mới)."),
                format!(
                    "Trust list kept on this device since {when} (no newer one could be fetched)."
                ),
            ),
            (false, false) => LocalText::both(
                format!("Danh sách khóa tin cậy tải lúc {when}."),
                format!("Trust list fetched {when}."),
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub state: VerdictState,
    /// Set when the lot is recalled: shown as a banner above everything else.
    pub recall: Option<Recall>,
    pub checks: Vec<Check>,
    /// Who signed the record (or, without one, the stamp), when a trusted key did.
    pub issuer: Option<LocalText>,
    pub trust_list: Option<TrustListInfo>,
}

impl Verdict {
    pub fn status_of(&self, id: CheckId) -> Option<Status> {
        self.checks.iter().find(|c| c.id == id).map(|c| c.status)
    }

    /// One or two sentences under the verdict's title. A valid code alone is not proof of
    /// genuine goods, and the shopper is told so unless a per-item check passed.
    pub fn summary(&self) -> LocalText {
        let item_checked = self.status_of(CheckId::ItemHistory) == Some(Status::Passed);
        let (vi, en) = match self.state {
            VerdictState::Authentic => (
                "Hồ sơ được ký bởi đơn vị có trong danh sách tin cậy, khớp với tem, và tem này chưa bị quét bất thường.",
                "The record is signed by a trusted issuer and matches the stamp, and this stamp shows no unusual scans.",
            ),
            VerdictState::NotAuthentic => (
                "Có kiểm tra không đạt. Đừng mua hoặc dùng sản phẩm khi chưa hỏi người bán hoặc nhà sản xuất.",
                "A check failed. Do not buy or use the product before asking the seller or the producer.",
            ),
            VerdictState::Recalled => (
                "Lô hàng này đã bị thu hồi. Không sử dụng; làm theo hướng dẫn thu hồi.",
                "This lot has been recalled. Do not use it; follow the recall instructions.",
            ),
            VerdictState::Caution if item_checked => (
                "Một số kiểm tra chưa thực hiện được hoặc cần bạn lưu ý.",
                "Some checks could not run or need your attention.",
            ),
            VerdictState::Caution => (
                "Mã hợp lệ chưa chứng minh hàng là thật: một số kiểm tra chưa thực hiện được hoặc cần bạn lưu ý.",
                "A valid code is not proof of genuine goods: some checks could not run or need your attention.",
            ),
        };
        LocalText::both(vi, en)
    }
}

/// The outcome of one request to the portal, as the verdict needs to know it.
#[derive(Debug, PartialEq)]
pub enum Fetched<'a, T: ?Sized> {
    Got(&'a T),
    /// The portal said, in its own JSON, that it has nothing for this code.
    NotFound,
    /// No usable answer (offline, timeout, 5xx, oversized, malformed, a bare 404), with the
    /// reason in the shopper's words.
    Unavailable(&'a LocalText),
}

// By hand: derived, they would ask `T: Copy` of the borrowed answer itself.
impl<T: ?Sized> Clone for Fetched<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for Fetched<'_, T> {}

/// The trust list the widget holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Trust<'a> {
    /// Verified against the root key built into the widget; `cached` when the portal could
    /// not be reached and the last good copy is used.
    List {
        list: &'a TrustList,
        fetched_at: i64,
        cached: bool,
    },
    /// The only list at hand is past its own expiry: nothing signed can be trusted with it.
    Expired { exp: i64, fetched_at: i64 },
    /// No list: never fetched and none cached, or it failed the root signature.
    Unavailable(&'a LocalText),
}

/// Everything the widget (or the CLI) gathered about one stamp.
#[derive(Debug, Clone, Copy)]
pub struct Evidence<'a> {
    pub stamp: &'a Payload,
    pub trust: Trust<'a>,
    /// The record as the portal sent it: a compact JWS.
    pub record: Fetched<'a, str>,
    /// The serial's scan history; None when the stamp has no serial (nothing was asked).
    pub scans: Option<Fetched<'a, ScanHistory>>,
    pub recalls: Fetched<'a, [RecallNotice]>,
    /// Unix seconds, the caller's clock.
    pub now: i64,
}

/// The verdict, and the record to show beside it (taken from the signed payload; shown even
/// when the signature failed, with the verdict saying so) with how much history it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub verdict: Verdict,
    pub record: Option<TraceRecord>,
    pub depth: Option<Depth>,
}

/// What the stamp claims, from its parsed payload.
struct Claims<'a> {
    gtin: Option<&'a str>,
    lot: Option<&'a str>,
    serial: Option<&'a str>,
    expiry: Option<String>,
}

pub fn evaluate(evidence: &Evidence<'_>) -> Assessment {
    let stamp = evidence.stamp;
    let claims = Claims {
        gtin: stamp.gtin(),
        lot: stamp.lot(),
        serial: stamp.serial(),
        expiry: stamp.expiry().map(|date| date.to_string()),
    };
    let list = match evidence.trust {
        Trust::List { list, .. } => Some(list),
        _ => None,
    };
    let mut checks = Vec::new();

    let stamp_signature = list.map(|list| digsig::verify_stamp(stamp, list, evidence.now));
    let (record, record_check, verification) = read_record(evidence);
    let signer = verification
        .as_ref()
        .filter(|v| v.signature == SignatureStatus::Valid)
        .and_then(|v| v.key.clone());
    let stamp_signer = match (&stamp_signature, list) {
        (Some(StampSignature::Valid { kid: Some(kid) }), Some(list)) => list.key(kid).cloned(),
        _ => None,
    };
    let domain_authority = signer.as_ref().or(stamp_signer.as_ref());
    checks.push(check_domain(stamp, domain_authority));
    if let Some(check) = stamp_signature.as_ref().and_then(check_stamp_signature) {
        checks.push(check);
    }
    checks.push(record_check);
    checks.push(check_signature(evidence.trust, verification.as_ref()));

    let signed = signer.is_some();
    let mut recall = None;
    if let Some(record) = &record {
        checks.push(check_product(&claims, record, signed));
        checks.push(check_lot(&claims, record, signed));
        if let Some(serial) = claims.serial {
            checks.push(check_serial(serial, record, signed));
        }
    }
    checks.extend(check_item(&claims, evidence.scans));
    if let Some(record) = &record {
        checks.push(check_expiry(&claims, record, evidence.now));
        checks.push(check_timeline(record, evidence.now));
        recall = record.recall.clone();
    }
    let depth = record.as_ref().map(depth::assess);
    if let Some(depth) = &depth {
        checks.push(check_depth(depth));
    }
    let (recall_check, notice) = check_recall(&claims, record.as_ref(), evidence.recalls);
    checks.push(recall_check);
    recall = notice.or(recall);

    let issuer = signer
        .as_ref()
        .or(stamp_signer.as_ref())
        .and_then(|key| key.issuer_name().cloned());
    let trust_list = match evidence.trust {
        Trust::List {
            fetched_at, cached, ..
        } => Some(TrustListInfo {
            fetched_at,
            cached,
            expired: false,
        }),
        Trust::Expired { fetched_at, .. } => Some(TrustListInfo {
            fetched_at,
            cached: true,
            expired: true,
        }),
        Trust::Unavailable(_) => None,
    };
    let verdict = Verdict {
        state: conclude(&checks, recall.is_some()),
        recall,
        checks,
        issuer,
        trust_list,
    };
    Assessment {
        verdict,
        record,
        depth,
    }
}

fn conclude(checks: &[Check], recalled: bool) -> VerdictState {
    let failed = |c: &&Check| c.status == Status::Failed && c.id != CheckId::NotRecalled;
    if checks.iter().any(|c| failed(&c)) {
        VerdictState::NotAuthentic
    } else if recalled {
        VerdictState::Recalled
    } else if checks.iter().all(|c| c.status == Status::Passed) {
        VerdictState::Authentic
    } else {
        VerdictState::Caution
    }
}

fn check(id: CheckId, status: Status, vi: impl Into<String>, en: impl Into<String>) -> Check {
    Check {
        id,
        status,
        detail: LocalText::both(vi, en),
    }
}

/// The record from the portal's answer, the check saying whether there was one, and what its
/// signature verified to (None when there was nothing to verify or no list to verify with).
fn read_record(evidence: &Evidence<'_>) -> (Option<TraceRecord>, Check, Option<Verification>) {
    let jws = match evidence.record {
        Fetched::Got(jws) => jws,
        Fetched::NotFound => {
            let check = check(
                CheckId::RecordFound,
                Status::Failed,
                "Cổng truy xuất không có hồ sơ nào cho mã này: tem có thể là giả.",
                "The portal has no record for this code: the stamp may be fake.",
            );
            return (None, check, None);
        }
        Fetched::Unavailable(reason) => {
            let check = Check {
                id: CheckId::RecordFound,
                status: Status::NotRun,
                detail: LocalText::both(
                    format!(
                        "Không tải được hồ sơ, nên chưa kiểm tra được: {}",
                        reason.vi
                    ),
                    format!(
                        "The record could not be loaded, so nothing could be checked against it: {}",
                        reason.get(true)
                    ),
                ),
            };
            return (None, check, None);
        }
    };
    let verification = match evidence.trust {
        Trust::List { list, .. } => Some(list.verify(jws, evidence.now)),
        _ => None,
    };
    // Shown whatever its signature says (the verdict says it); compared only once signed.
    let payload = match verification.as_ref().and_then(|v| v.payload.clone()) {
        Some(signed) => Some(signed),
        None => crate::trust::jws::parse(jws).ok().map(|jws| jws.payload),
    };
    let Some(payload) = payload else {
        let check = check(
            CheckId::RecordFound,
            Status::NotRun,
            "Cổng trả về dữ liệu không đọc được (không phải hồ sơ có chữ ký).",
            "The portal sent something unreadable (not a signed record).",
        );
        return (None, check, verification);
    };
    match TraceRecord::from_json(&payload) {
        Ok(record) => {
            let check = check(
                CheckId::RecordFound,
                Status::Passed,
                "Cổng truy xuất có hồ sơ cho mã này.",
                "The portal has a record for this code.",
            );
            (Some(record), check, verification)
        }
        Err(error) => {
            let check = check(
                CheckId::RecordFound,
                Status::NotRun,
                "Hồ sơ nhận được không hợp lệ nên không kiểm tra được.",
                format!("The record received is not valid ({error}), so it could not be checked."),
            );
            (None, check, verification)
        }
    }
}

fn check_domain(stamp: &Payload, authority: Option<&Jwk>) -> Check {
    let Some(host) = stamp.host.as_deref() else {
        return check(
            CheckId::StampDomain,
            Status::Passed,
            "Mã không chứa địa chỉ web nào có thể bị giả mạo.",
            "The code carries no web address that could be imitated.",
        );
    };
    let lookalike = stamp.warnings.iter().find_map(|w| match w {
        Warning::LookalikeHost { resembles, .. } => Some(*resembles),
        _ => None,
    });
    if let Some(resembles) = lookalike {
        return check(
            CheckId::StampDomain,
            Status::Failed,
            format!(
                "Tem trỏ tới tên miền {host}, giả dạng {resembles}. Đây không phải trang chính thức."
            ),
            format!(
                "The stamp points at {host}, made to look like {resembles}. It is not the official site."
            ),
        );
    }
    match authority {
        Some(key) if key.allows_domain(host) => check(
            CheckId::StampDomain,
            Status::Passed,
            format!("Tên miền {host} là của đơn vị đã ký hồ sơ."),
            format!("{host} is a domain of the issuer that signed the record."),
        ),
        Some(_) => check(
            CheckId::StampDomain,
            Status::Failed,
            format!("Tem trỏ tới tên miền {host}, không phải tên miền của đơn vị phát hành tem."),
            format!("The stamp points at {host}, which is not a domain of the stamp's issuer."),
        ),
        None => check(
            CheckId::StampDomain,
            Status::NotRun,
            format!(
                "Chưa xác minh được tên miền {host} có thuộc đơn vị phát hành hay không (chưa có chữ ký hợp lệ)."
            ),
            format!(
                "Whether {host} belongs to the issuer cannot be told without a valid signature."
            ),
        ),
    }
}

fn check_stamp_signature(signature: &StampSignature) -> Option<Check> {
    let (status, vi, en) = match signature {
        StampSignature::Absent => return None,
        StampSignature::Valid { .. } => (
            Status::Passed,
            "Tem mang chữ ký số hợp lệ của đơn vị phát hành (kiểm tra được cả khi không có mạng).",
            "The stamp carries a valid signature of its issuer (checkable even offline).",
        ),
        StampSignature::Invalid => (
            Status::Failed,
            "Chữ ký số trên tem không khớp với nội dung tem: tem đã bị sửa hoặc làm giả.",
            "The stamp's signature does not match what the stamp says: it was altered or forged.",
        ),
        StampSignature::UnknownKey => (
            Status::NotRun,
            "Tem được ký bằng khóa không có trong danh sách tin cậy: chưa xác minh được (chưa phải bằng chứng tem giả).",
            "The stamp is signed with a key that is not on the trust list: not verified (not proof of a fake).",
        ),
        StampSignature::ExpiredKey => (
            Status::NotRun,
            "Tem được ký bằng khóa đã hết hiệu lực hoặc chưa có hiệu lực: chưa xác minh được.",
            "The stamp is signed with a key outside its validity period: not verified.",
        ),
        _ => (
            Status::NotRun,
            "Chữ ký số trên tem không đọc được.",
            "The stamp's signature could not be read.",
        ),
    };
    Some(check(CheckId::StampSignature, status, vi, en))
}

fn check_signature(trust: Trust<'_>, verification: Option<&Verification>) -> Check {
    let (fetched_at, cached) = match trust {
        Trust::Unavailable(reason) => {
            return Check {
                id: CheckId::Signature,
                status: Status::NotRun,
                detail: LocalText::both(
                    format!(
                        "Không có danh sách khóa tin cậy nên chưa kiểm tra được chữ ký: {}",
                        reason.vi
                    ),
                    format!(
                        "No trust list, so no signature could be checked: {}",
                        reason.get(true)
                    ),
                ),
            };
        }
        Trust::Expired { exp, .. } => {
            let when = vietnam_time(exp);
            return check(
                CheckId::Signature,
                Status::NotRun,
                format!(
                    "Danh sách khóa tin cậy đã hết hạn từ {when} nên không tin được chữ ký nào. Hãy kết nối mạng để tải bản mới."
                ),
                format!(
                    "The trust list expired on {when}, so no signature can be trusted. Go online to fetch a new one."
                ),
            );
        }
        Trust::List {
            fetched_at, cached, ..
        } => (fetched_at, cached),
    };
    let age = TrustListInfo {
        fetched_at,
        cached,
        expired: false,
    }
    .describe();
    let (age_vi, age_en) = (format!(" {}", age.vi), format!(" {}", age.get(true)));
    let Some(verification) = verification else {
        return Check {
            id: CheckId::Signature,
            status: Status::NotRun,
            detail: LocalText::both(
                format!("Không có hồ sơ để kiểm tra chữ ký.{age_vi}"),
                format!("There is no record whose signature could be checked.{age_en}"),
            ),
        };
    };
    let kid = verification.kid.as_deref().unwrap_or("?");
    let (status, vi, en) = match verification.signature {
        SignatureStatus::Valid => {
            let issuer = verification
                .key
                .as_ref()
                .and_then(|key| key.issuer_name().cloned())
                .unwrap_or_else(|| LocalText::vi(kid));
            (
                Status::Passed,
                format!("Hồ sơ được ký bởi {} (khóa {kid}).", issuer.vi),
                format!("The record is signed by {} (key {kid}).", issuer.get(true)),
            )
        }
        SignatureStatus::Invalid => (
            Status::Failed,
            "Chữ ký số không khớp với hồ sơ: hồ sơ đã bị sửa sau khi ký, hoặc chữ ký là giả.".into(),
            "The signature does not match the record: it was changed after signing, or the signature is forged.".into(),
        ),
        SignatureStatus::UnknownKey => (
            Status::NotRun,
            format!("Hồ sơ được ký bằng khóa {kid} không có trong danh sách tin cậy: chưa xác minh được (chưa phải bằng chứng hàng giả)."),
            format!("The record is signed with key {kid}, which is not on the trust list: not verified (not proof of a fake)."),
        ),
        SignatureStatus::ExpiredKey => (
            Status::NotRun,
            format!("Hồ sơ được ký bằng khóa {kid} đã hết hiệu lực hoặc chưa có hiệu lực: chưa xác minh được."),
            format!("The record is signed with key {kid}, outside its validity period: not verified."),
        ),
        SignatureStatus::UnsupportedAlg => (
            Status::NotRun,
            format!("Hồ sơ dùng thuật toán ký không được chấp nhận ({}).", verification.alg.as_deref().unwrap_or("?")),
            format!("The record uses a signature algorithm that is not accepted ({}).", verification.alg.as_deref().unwrap_or("?")),
        ),
        _ => (
            Status::NotRun,
            "Chữ ký số của hồ sơ không đọc được.".into(),
            "The record's signature could not be read.".into(),
        ),
    };
    check(CheckId::Signature, status, vi + &age_vi, en + &age_en)
}

/// A comparison of what the stamp says with what the record says: a mismatch fails whatever
/// the signature, but a match only counts when the record is signed (a portal could echo
/// back whatever it is asked).
fn compared(
    id: CheckId,
    matches: bool,
    signed: bool,
    (vi_ok, en_ok): (String, String),
    (vi_bad, en_bad): (String, String),
) -> Check {
    match (matches, signed) {
        (false, _) => check(id, Status::Failed, vi_bad, en_bad),
        (true, true) => check(id, Status::Passed, vi_ok, en_ok),
        (true, false) => check(
            id,
            Status::NotRun,
            format!("{vi_ok} Nhưng hồ sơ chưa được xác minh chữ ký, nên chưa tính."),
            format!("{en_ok} But the record's signature is not verified, so it does not count."),
        ),
    }
}

fn check_product(claims: &Claims<'_>, record: &TraceRecord, signed: bool) -> Check {
    let recorded = &record.product.gtin;
    match claims.gtin {
        Some(gtin) => compared(
            CheckId::ProductMatches,
            gtin == recorded,
            signed,
            (
                format!("Mã sản phẩm trên tem ({gtin}) khớp với hồ sơ."),
                format!("The stamp's product code ({gtin}) matches the record."),
            ),
            (
                format!("Tem ghi mã sản phẩm {gtin} nhưng hồ sơ là của {recorded}."),
                format!("The stamp says product {gtin} but the record is for {recorded}."),
            ),
        ),
        None => check(
            CheckId::ProductMatches,
            Status::NotRun,
            "Tem không có mã sản phẩm (GTIN).",
            "The stamp carries no product code (GTIN).",
        ),
    }
}

fn check_lot(claims: &Claims<'_>, record: &TraceRecord, signed: bool) -> Check {
    let recorded = &record.lot.lot;
    match claims.lot {
        Some(lot) => compared(
            CheckId::LotMatches,
            lot == recorded,
            signed,
            (
                format!("Số lô trên tem ({lot}) khớp với hồ sơ."),
                format!("The stamp's lot ({lot}) matches the record."),
            ),
            (
                format!("Tem ghi lô {lot} nhưng hồ sơ ghi lô {recorded}."),
                format!("The stamp says lot {lot} but the record says lot {recorded}."),
            ),
        ),
        None => check(
            CheckId::LotMatches,
            Status::NotRun,
            "Tem không ghi số lô nên không đối chiếu được với hồ sơ.",
            "The stamp carries no lot number, so it cannot be matched to the record.",
        ),
    }
}

fn check_serial(serial: &str, record: &TraceRecord, signed: bool) -> Check {
    compared(
        CheckId::SerialMatches,
        record.serial.as_deref() == Some(serial),
        signed,
        (
            format!("Số sê-ri {serial} có trong hồ sơ."),
            format!("Serial number {serial} is in the record."),
        ),
        (
            format!("Hồ sơ không có số sê-ri {serial} của tem."),
            format!("The record does not list the stamp's serial number {serial}."),
        ),
    )
}

/// The per-item checks: whether the issuer voided the stamp, and whether its scan history is
/// that of one product. A stamp without a serial cannot be told from its copies.
fn check_item(claims: &Claims<'_>, scans: Option<Fetched<'_, ScanHistory>>) -> Vec<Check> {
    if claims.serial.is_none() {
        return vec![check(
            CheckId::ItemHistory,
            Status::Warning,
            "Tem chỉ mang mã lô, không có số sê-ri riêng cho từng sản phẩm: hồ sơ lô có thể đúng, nhưng không phân biệt được tem này với bản sao chép.",
            "The stamp carries only a lot, no serial of its own: the lot's record may be genuine, but this stamp cannot be told apart from a copy.",
        )];
    }
    let history = match scans {
        Some(Fetched::Got(history)) => history,
        Some(Fetched::Unavailable(reason)) => {
            let not_run = |id| Check {
                id,
                status: Status::NotRun,
                detail: LocalText::both(
                    format!("Không hỏi được cổng truy xuất về tem này: {}", reason.vi),
                    format!(
                        "The portal could not be asked about this stamp: {}",
                        reason.get(true)
                    ),
                ),
            };
            return vec![not_run(CheckId::NotVoid), not_run(CheckId::ItemHistory)];
        }
        Some(Fetched::NotFound) | None => {
            let unknown = |id| {
                check(
                    id,
                    Status::NotRun,
                    "Cổng truy xuất không biết số sê-ri này.",
                    "The portal does not know this serial number.",
                )
            };
            return vec![unknown(CheckId::NotVoid), unknown(CheckId::ItemHistory)];
        }
    };
    let void = match history.state {
        UnitState::Void => check(
            CheckId::NotVoid,
            Status::Failed,
            "Đơn vị phát hành đã hủy tem này: không sản phẩm nào được mang nó.",
            "The issuer has voided this stamp: no product should carry it.",
        ),
        _ => check(
            CheckId::NotVoid,
            Status::Passed,
            "Tem chưa bị đơn vị phát hành hủy.",
            "The issuer has not voided this stamp.",
        ),
    };
    let count = history.count;
    let since = history
        .first_scan_at
        .as_deref()
        .and_then(shown_day)
        .unwrap_or_default();
    let provinces = history.provinces.len();
    let sold = history
        .activated
        .as_ref()
        .filter(|_| history.state == UnitState::Activated);
    let item = match (history.pattern(), sold) {
        (ScanPattern::Cloned, _) => check(
            CheckId::ItemHistory,
            Status::Failed,
            format!(
                "Số sê-ri này đã được quét {count} lần ở {provinces} tỉnh/thành từ {since}: tem đã bị sao chép. Nếu bạn mua hàng nguyên niêm phong ở nơi bán chính thức, hãy hỏi người bán."
            ),
            format!(
                "This serial has been checked {count} times in {provinces} provinces since {since}: the stamp has been copied. If you bought it sealed from an official seller, ask them."
            ),
        ),
        (ScanPattern::Normal, _) if count <= 1 => check(
            CheckId::ItemHistory,
            Status::Passed,
            "Đây là lần đầu tem này được kiểm tra.",
            "This is the first time this stamp has been checked.",
        ),
        (ScanPattern::Normal, _) => check(
            CheckId::ItemHistory,
            Status::Passed,
            format!("Tem đã được kiểm tra {count} lần từ {since}, bình thường với một sản phẩm."),
            format!(
                "The stamp has been checked {count} times since {since}, as one product would be."
            ),
        ),
        (ScanPattern::Unusual, Some(sold)) => {
            let (retailer, day) = (&sold.retailer, shown_day(&sold.at).unwrap_or_default());
            check(
                CheckId::ItemHistory,
                Status::Passed,
                format!(
                    "Sản phẩm đã được bán tại {retailer} ngày {day}; tem đã được kiểm tra {count} lần."
                ),
                format!(
                    "The product was sold at {retailer} on {day}; the stamp has been checked {count} times."
                ),
            )
        }
        (ScanPattern::Unusual, None) => check(
            CheckId::ItemHistory,
            Status::Warning,
            format!(
                "Tem đã được kiểm tra {count} lần ở {provinces} tỉnh/thành từ {since}, nhiều hơn thường thấy với một sản phẩm."
            ),
            format!(
                "The stamp has been checked {count} times in {provinces} provinces since {since}, more than one product usually is."
            ),
        ),
    };
    vec![void, item]
}

/// An instant as the day it was in Việt Nam, `dd/mm/yyyy`.
fn shown_day(rfc3339: &str) -> Option<String> {
    rfc3339_to_unix(rfc3339).map(|unix| day_first(&vietnam_date(unix)))
}

fn check_expiry(claims: &Claims<'_>, record: &TraceRecord, now: i64) -> Check {
    let Some(expiry) = record.lot.expiry_date.as_deref().filter(|d| is_iso_date(d)) else {
        return check(
            CheckId::NotExpired,
            Status::Warning,
            "Hồ sơ không ghi hạn sử dụng.",
            "The record gives no expiry date.",
        );
    };
    let shown = day_first(expiry);
    if let Some(claimed) = claims
        .expiry
        .as_deref()
        .filter(|claimed| *claimed != expiry)
    {
        let claimed = day_first(claimed);
        return check(
            CheckId::NotExpired,
            Status::Failed,
            format!("Hạn sử dụng trên tem ({claimed}) khác với hồ sơ ({shown})."),
            format!("The stamp's expiry date ({claimed}) differs from the record's ({shown})."),
        );
    }
    if vietnam_date(now).as_str() > expiry {
        check(
            CheckId::NotExpired,
            Status::Warning,
            format!("Sản phẩm đã hết hạn sử dụng từ {shown}."),
            format!("The product expired on {shown}."),
        )
    } else {
        check(
            CheckId::NotExpired,
            Status::Passed,
            format!("Hạn sử dụng đến {shown}."),
            format!("Best before {shown}."),
        )
    }
}

fn check_timeline(record: &TraceRecord, now: i64) -> Check {
    // A day of slack: a publisher's clock or time zone slip is not evidence of forgery.
    const CLOCK_SLACK_SECONDS: i64 = 24 * 3600;
    if record.events.is_empty() {
        return check(
            CheckId::TimelineConsistent,
            Status::Warning,
            "Hồ sơ không có công đoạn sản xuất, chế biến hay phân phối nào.",
            "The record lists no production, processing or distribution steps.",
        );
    }
    let mut previous: Option<i64> = None;
    for (index, event) in record.events.iter().enumerate() {
        let step = index + 1;
        let Some(time) = rfc3339_to_unix(&event.time) else {
            return check(
                CheckId::TimelineConsistent,
                Status::Failed,
                format!(
                    "Công đoạn {step} có thời gian không hợp lệ: {}.",
                    event.time
                ),
                format!("Step {step} has an invalid time: {}.", event.time),
            );
        };
        if previous.is_some_and(|p| time < p) {
            return check(
                CheckId::TimelineConsistent,
                Status::Failed,
                format!("Công đoạn {step} xảy ra trước công đoạn liền trước nó."),
                format!("Step {step} happens before the step listed before it."),
            );
        }
        if time > now + CLOCK_SLACK_SECONDS {
            return check(
                CheckId::TimelineConsistent,
                Status::Failed,
                format!(
                    "Công đoạn {step} có thời gian ở tương lai ({}).",
                    event.time
                ),
                format!("Step {step} is dated in the future ({}).", event.time),
            );
        }
        previous = Some(time);
    }
    let steps = record.events.len();
    check(
        CheckId::TimelineConsistent,
        Status::Passed,
        format!("{steps} công đoạn, theo đúng thứ tự thời gian."),
        format!("{steps} steps, in time order."),
    )
}

/// A record that is only a label, or whose history has gaps, is worth telling the shopper,
/// and keeps the verdict from authentic: the stamp may be genuine, but the record does not
/// vouch for how the product was made. Never a failure: a thin record is not a fake.
fn check_depth(depth: &Depth) -> Check {
    let summary = depth.summary();
    if depth.passes() {
        return Check {
            id: CheckId::RecordDepth,
            status: Status::Passed,
            detail: summary,
        };
    }
    let details = depth.details();
    let join = |english: bool| {
        let mut text = format!("{}.", summary.get(english));
        for line in &details {
            text.push(' ');
            text.push_str(line.get(english));
        }
        text
    };
    Check {
        id: CheckId::RecordDepth,
        status: Status::Warning,
        detail: LocalText::both(join(false), join(true)),
    }
}

/// Recalls come from their own request, so that a record that could not be had still shows
/// its recall; the record's own recall counts too.
fn check_recall(
    claims: &Claims<'_>,
    record: Option<&TraceRecord>,
    recalls: Fetched<'_, [RecallNotice]>,
) -> (Check, Option<Recall>) {
    let gtin = claims.gtin.or(record.map(|r| r.product.gtin.as_str()));
    let lot = claims.lot.or(record.map(|r| r.lot.lot.as_str()));
    let listed = match recalls {
        Fetched::Got(notices) => notices
            .iter()
            .find(|n| Some(n.gtin.as_str()) == gtin && lot.is_none_or(|lot| n.lot == lot))
            .map(RecallNotice::recall),
        _ => None,
    };
    let recall = listed.or_else(|| record.and_then(|r| r.recall.clone()));
    if let Some(recall) = recall {
        let date = day_first(&recall.date);
        let check = check(
            CheckId::NotRecalled,
            Status::Failed,
            format!("Lô hàng đã bị thu hồi từ {date} ({}).", recall.authority),
            format!("This lot was recalled on {date} ({}).", recall.authority),
        );
        return (check, Some(recall));
    }
    let check = match recalls {
        Fetched::Got(_) | Fetched::NotFound => check(
            CheckId::NotRecalled,
            Status::Passed,
            "Lô hàng không có thông báo thu hồi.",
            "No recall notice for this lot.",
        ),
        Fetched::Unavailable(reason) => Check {
            id: CheckId::NotRecalled,
            status: Status::NotRun,
            detail: LocalText::both(
                format!("Chưa kiểm tra được thông báo thu hồi: {}", reason.vi),
                format!("Recall notices could not be checked: {}", reason.get(true)),
            ),
        },
    };
    (check, None)
}
