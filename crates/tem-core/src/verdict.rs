//! The authenticity verdict: which checks ran, what each found, and what a shopper should
//! conclude from them.
//!
//! The verdict fails closed: a check that could not run (portal unreachable, data missing,
//! or not built yet) keeps the verdict from ever saying "authentic". A valid code alone is not
//! proof of genuine goods, so the verdict only becomes authentic when every check, including the
//! per-item ones, has passed.

use serde::Serialize;

use crate::record::{LocalText, Recall, TraceRecord};
use crate::time::{day_first, is_iso_date, rfc3339_to_unix};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VerdictState {
    Authentic,
    Caution,
    NotAuthentic,
}

impl VerdictState {
    pub fn label(self) -> LocalText {
        match self {
            VerdictState::Authentic => LocalText::both("Xác thực", "Authentic"),
            VerdictState::Caution => LocalText::both("Cần lưu ý", "Caution"),
            VerdictState::NotAuthentic => LocalText::both("Không xác thực", "Not authentic"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CheckId {
    RecordFound,
    ProductMatches,
    LotMatches,
    SerialMatches,
    NotExpired,
    TimelineConsistent,
    NotRecalled,
    Signature,
    ScanCount,
}

impl CheckId {
    pub fn title(self) -> LocalText {
        let (vi, en) = match self {
            CheckId::RecordFound => ("Có hồ sơ truy xuất", "Trace record found"),
            CheckId::ProductMatches => ("Đúng sản phẩm", "Same product"),
            CheckId::LotMatches => ("Đúng lô hàng", "Same lot"),
            CheckId::SerialMatches => ("Đúng số sê-ri", "Same serial number"),
            CheckId::NotExpired => ("Còn hạn sử dụng", "Not expired"),
            CheckId::TimelineConsistent => ("Hành trình hợp lý", "Consistent history"),
            CheckId::NotRecalled => ("Không bị thu hồi", "Not recalled"),
            CheckId::Signature => ("Chữ ký số của hồ sơ", "Record signature"),
            CheckId::ScanCount => ("Số lần quét tem", "Stamp scan count"),
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

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    pub state: VerdictState,
    /// Set when the lot is recalled: shown as a banner above everything else.
    pub recall: Option<Recall>,
    pub checks: Vec<Check>,
}

/// What the stamp itself claims, taken from its parsed payload.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Claims<'a> {
    pub gtin: Option<&'a str>,
    pub lot: Option<&'a str>,
    pub serial: Option<&'a str>,
    /// ISO date (YYYY-MM-DD) from AI 17.
    pub expiry: Option<&'a str>,
}

/// What asking the portal for the record gave.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Lookup<'a> {
    Found(&'a TraceRecord),
    NotFound,
    /// The lookup could not be made or answered (offline, timeout, bad response).
    Unavailable,
}

/// Runs every check. `now` is the current time as an RFC 3339 string (the caller's clock).
pub fn evaluate(claims: &Claims<'_>, lookup: Lookup<'_>, now: &str) -> Verdict {
    let mut checks = Vec::new();
    let mut recall = None;
    match lookup {
        Lookup::Found(record) => {
            checks.push(passed(
                CheckId::RecordFound,
                LocalText::both(
                    "Cổng truy xuất có hồ sơ cho mã này.",
                    "The portal has a record for this code.",
                ),
            ));
            checks.push(check_product(claims, record));
            checks.push(check_lot(claims, record));
            if let Some(serial) = claims.serial {
                checks.push(check_serial(serial, record));
            }
            checks.push(check_expiry(claims, record, now));
            checks.push(check_timeline(record, now));
            checks.push(check_recall(record));
            recall = record.recall.clone();
        }
        Lookup::NotFound => {
            checks.push(Check {
                id: CheckId::RecordFound,
                status: Status::Failed,
                detail: LocalText::both(
                    "Cổng truy xuất không có hồ sơ nào cho mã này: tem có thể là giả.",
                    "The portal has no record for this code: the stamp may be fake.",
                ),
            });
        }
        Lookup::Unavailable => {
            checks.push(not_run(
                CheckId::RecordFound,
                LocalText::both(
                    "Không tải được hồ sơ (mất mạng hoặc cổng không phản hồi), nên chưa kiểm tra được.",
                    "The record could not be loaded (offline or the portal did not answer), so nothing could be checked against it.",
                ),
            ));
        }
    }
    checks.push(not_run(
        CheckId::Signature,
        LocalText::both(
            "Chưa kiểm tra chữ ký số của hồ sơ (tính năng đang xây dựng).",
            "The record's digital signature is not checked yet (being built).",
        ),
    ));
    checks.push(not_run(
        CheckId::ScanCount,
        LocalText::both(
            "Chưa đếm số lần quét tem (tính năng đang xây dựng).",
            "Stamp scans are not counted yet (being built).",
        ),
    ));
    Verdict {
        state: conclude(&checks),
        recall,
        checks,
    }
}

fn conclude(checks: &[Check]) -> VerdictState {
    if checks.iter().any(|c| c.status == Status::Failed) {
        VerdictState::NotAuthentic
    } else if checks.iter().all(|c| c.status == Status::Passed) {
        VerdictState::Authentic
    } else {
        VerdictState::Caution
    }
}

fn passed(id: CheckId, detail: LocalText) -> Check {
    Check {
        id,
        status: Status::Passed,
        detail,
    }
}

fn not_run(id: CheckId, detail: LocalText) -> Check {
    Check {
        id,
        status: Status::NotRun,
        detail,
    }
}

fn failed(id: CheckId, detail: LocalText) -> Check {
    Check {
        id,
        status: Status::Failed,
        detail,
    }
}

fn check_product(claims: &Claims<'_>, record: &TraceRecord) -> Check {
    match claims.gtin {
        Some(gtin) if gtin == record.product.gtin => passed(
            CheckId::ProductMatches,
            LocalText::both(
                format!("Mã sản phẩm trên tem ({gtin}) khớp với hồ sơ."),
                format!("The stamp's product code ({gtin}) matches the record."),
            ),
        ),
        Some(gtin) => failed(
            CheckId::ProductMatches,
            LocalText::both(
                format!(
                    "Tem ghi mã sản phẩm {gtin} nhưng hồ sơ là của {}.",
                    record.product.gtin
                ),
                format!(
                    "The stamp says product {gtin} but the record is for {}.",
                    record.product.gtin
                ),
            ),
        ),
        None => not_run(
            CheckId::ProductMatches,
            LocalText::both(
                "Tem không có mã sản phẩm (GTIN).",
                "The stamp carries no product code (GTIN).",
            ),
        ),
    }
}

fn check_lot(claims: &Claims<'_>, record: &TraceRecord) -> Check {
    let recorded = &record.lot.lot;
    match claims.lot {
        Some(lot) if lot == recorded => passed(
            CheckId::LotMatches,
            LocalText::both(
                format!("Số lô trên tem ({lot}) khớp với hồ sơ."),
                format!("The stamp's lot ({lot}) matches the record."),
            ),
        ),
        Some(lot) => failed(
            CheckId::LotMatches,
            LocalText::both(
                format!("Tem ghi lô {lot} nhưng hồ sơ ghi lô {recorded}."),
                format!("The stamp says lot {lot} but the record says lot {recorded}."),
            ),
        ),
        None => not_run(
            CheckId::LotMatches,
            LocalText::both(
                "Tem không ghi số lô nên không đối chiếu được với hồ sơ.",
                "The stamp carries no lot number, so it cannot be matched to the record.",
            ),
        ),
    }
}

fn check_serial(serial: &str, record: &TraceRecord) -> Check {
    match record.serial.as_deref() {
        Some(recorded) if recorded == serial => passed(
            CheckId::SerialMatches,
            LocalText::both(
                format!("Số sê-ri {serial} có trong hồ sơ."),
                format!("Serial number {serial} is in the record."),
            ),
        ),
        _ => failed(
            CheckId::SerialMatches,
            LocalText::both(
                format!("Hồ sơ không có số sê-ri {serial} của tem."),
                format!("The record does not list the stamp's serial number {serial}."),
            ),
        ),
    }
}

fn check_expiry(claims: &Claims<'_>, record: &TraceRecord, now: &str) -> Check {
    let Some(expiry) = record.lot.expiry_date.as_deref().filter(|d| is_iso_date(d)) else {
        return Check {
            id: CheckId::NotExpired,
            status: Status::Warning,
            detail: LocalText::both(
                "Hồ sơ không ghi hạn sử dụng.",
                "The record gives no expiry date.",
            ),
        };
    };
    if let Some(claimed) = claims.expiry.filter(|claimed| *claimed != expiry) {
        return failed(
            CheckId::NotExpired,
            LocalText::both(
                format!(
                    "Hạn sử dụng trên tem ({}) khác với hồ sơ ({}).",
                    day_first(claimed),
                    day_first(expiry)
                ),
                format!(
                    "The stamp's expiry date ({}) differs from the record's ({}).",
                    day_first(claimed),
                    day_first(expiry)
                ),
            ),
        );
    }
    let today = now.get(..10).unwrap_or(now);
    let shown = day_first(expiry);
    if today > expiry {
        Check {
            id: CheckId::NotExpired,
            status: Status::Warning,
            detail: LocalText::both(
                format!("Sản phẩm đã hết hạn sử dụng từ {shown}."),
                format!("The product expired on {shown}."),
            ),
        }
    } else {
        passed(
            CheckId::NotExpired,
            LocalText::both(
                format!("Hạn sử dụng đến {shown}."),
                format!("Best before {shown}."),
            ),
        )
    }
}

fn check_timeline(record: &TraceRecord, now: &str) -> Check {
    // A day of slack: a publisher's clock or time zone slip is not evidence of forgery.
    const CLOCK_SLACK_SECONDS: i64 = 24 * 3600;
    if record.events.is_empty() {
        return Check {
            id: CheckId::TimelineConsistent,
            status: Status::Warning,
            detail: LocalText::both(
                "Hồ sơ không có công đoạn sản xuất, chế biến hay phân phối nào.",
                "The record lists no production, processing or distribution steps.",
            ),
        };
    }
    let now = rfc3339_to_unix(now);
    let mut previous: Option<i64> = None;
    for (index, event) in record.events.iter().enumerate() {
        let step = index + 1;
        let Some(time) = rfc3339_to_unix(&event.time) else {
            return failed(
                CheckId::TimelineConsistent,
                LocalText::both(
                    format!(
                        "Công đoạn {step} có thời gian không hợp lệ: {}.",
                        event.time
                    ),
                    format!("Step {step} has an invalid time: {}.", event.time),
                ),
            );
        };
        if previous.is_some_and(|p| time < p) {
            return failed(
                CheckId::TimelineConsistent,
                LocalText::both(
                    format!("Công đoạn {step} xảy ra trước công đoạn liền trước nó."),
                    format!("Step {step} happens before the step listed before it."),
                ),
            );
        }
        if now.is_some_and(|now| time > now + CLOCK_SLACK_SECONDS) {
            return failed(
                CheckId::TimelineConsistent,
                LocalText::both(
                    format!(
                        "Công đoạn {step} có thời gian ở tương lai ({}).",
                        event.time
                    ),
                    format!("Step {step} is dated in the future ({}).", event.time),
                ),
            );
        }
        previous = Some(time);
    }
    passed(
        CheckId::TimelineConsistent,
        LocalText::both(
            format!(
                "{} công đoạn, theo đúng thứ tự thời gian.",
                record.events.len()
            ),
            format!("{} steps, in time order.", record.events.len()),
        ),
    )
}

fn check_recall(record: &TraceRecord) -> Check {
    match &record.recall {
        Some(recall) => failed(
            CheckId::NotRecalled,
            LocalText::both(
                format!(
                    "Lô hàng đã bị thu hồi từ {} ({}).",
                    day_first(&recall.date),
                    recall.authority
                ),
                format!(
                    "This lot was recalled on {} ({}).",
                    day_first(&recall.date),
                    recall.authority
                ),
            ),
        ),
        None => passed(
            CheckId::NotRecalled,
            LocalText::both(
                "Lô hàng không có thông báo thu hồi.",
                "No recall notice for this lot.",
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Lot, Party, Product, TimelineEvent};
    use crate::stage::Stage;

    const NOW: &str = "2026-11-25T09:00:00+07:00";

    fn event(time: &str) -> TimelineEvent {
        TimelineEvent {
            id: time.into(),
            time: time.into(),
            stage: Stage::Harvest,
            event_type: "ObjectEvent".into(),
            biz_step: Some("commissioning".into()),
            disposition: None,
            place: None,
            actor: None,
            summary: LocalText::vi("Thu hoạch"),
            inputs: vec![],
            outputs: vec![],
        }
    }

    fn record() -> TraceRecord {
        TraceRecord {
            id: "08936012345674.L1".into(),
            product: Product {
                gtin: "08936012345674".into(),
                name: LocalText::vi("Mật ong hoa nhãn"),
                brand: None,
                description: None,
                image: None,
                origin: "Hưng Yên".into(),
                net_content: None,
                standards: vec![],
            },
            producer: Party {
                name: "HTX".into(),
                address: None,
                gln: None,
            },
            lot: Lot {
                lot: "L1".into(),
                production_date: None,
                expiry_date: Some("2027-06-30".into()),
            },
            serial: None,
            events: vec![
                event("2026-08-01T06:00:00+07:00"),
                event("2026-08-02T00:00:00Z"),
            ],
            recall: None,
            issued_at: NOW.into(),
        }
    }

    fn claims() -> Claims<'static> {
        Claims {
            gtin: Some("08936012345674"),
            lot: Some("L1"),
            serial: None,
            expiry: None,
        }
    }

    fn status_of(verdict: &Verdict, id: CheckId) -> Status {
        verdict
            .checks
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.status)
            .unwrap()
    }

    #[test]
    fn a_matching_record_is_never_authentic_while_checks_are_missing() {
        let record = record();
        let verdict = evaluate(&claims(), Lookup::Found(&record), NOW);
        assert_eq!(verdict.state, VerdictState::Caution);
        assert_eq!(status_of(&verdict, CheckId::LotMatches), Status::Passed);
        assert_eq!(
            status_of(&verdict, CheckId::TimelineConsistent),
            Status::Passed
        );
        assert_eq!(status_of(&verdict, CheckId::Signature), Status::NotRun);
    }

    #[test]
    fn an_unreachable_portal_fails_closed() {
        let verdict = evaluate(&claims(), Lookup::Unavailable, NOW);
        assert_eq!(verdict.state, VerdictState::Caution);
        assert_eq!(status_of(&verdict, CheckId::RecordFound), Status::NotRun);
    }

    #[test]
    fn a_code_the_portal_does_not_know_is_not_authentic() {
        let verdict = evaluate(&claims(), Lookup::NotFound, NOW);
        assert_eq!(verdict.state, VerdictState::NotAuthentic);
    }

    #[test]
    fn a_lot_mismatch_is_not_authentic() {
        let record = record();
        let claims = Claims {
            lot: Some("L2"),
            ..claims()
        };
        let verdict = evaluate(&claims, Lookup::Found(&record), NOW);
        assert_eq!(verdict.state, VerdictState::NotAuthentic);
        assert!(verdict.checks[2].detail.get(true).contains("lot L2"));
    }

    #[test]
    fn a_serial_the_record_does_not_list_is_not_authentic() {
        let record = record();
        let claims = Claims {
            serial: Some("S9"),
            ..claims()
        };
        let verdict = evaluate(&claims, Lookup::Found(&record), NOW);
        assert_eq!(status_of(&verdict, CheckId::SerialMatches), Status::Failed);
    }

    #[test]
    fn an_expired_product_is_a_warning_and_a_forged_expiry_a_failure() {
        let mut record = record();
        record.lot.expiry_date = Some("2026-11-24".into());
        let verdict = evaluate(&claims(), Lookup::Found(&record), NOW);
        assert_eq!(status_of(&verdict, CheckId::NotExpired), Status::Warning);
        let claims = Claims {
            expiry: Some("2027-12-31"),
            ..claims()
        };
        let verdict = evaluate(&claims, Lookup::Found(&record), NOW);
        assert_eq!(status_of(&verdict, CheckId::NotExpired), Status::Failed);
    }

    #[test]
    fn times_are_compared_across_offsets_not_as_text() {
        let mut record = record();
        // 06:00+07:00 is 23:00Z the day before, so this order is wrong although the text sorts.
        record.events = vec![
            event("2026-08-02T00:00:00Z"),
            event("2026-08-02T06:00:00+07:00"),
        ];
        let verdict = evaluate(&claims(), Lookup::Found(&record), NOW);
        assert_eq!(
            status_of(&verdict, CheckId::TimelineConsistent),
            Status::Failed
        );
    }

    #[test]
    fn events_dated_in_the_future_or_unreadable_fail_the_timeline() {
        for bad in ["2027-01-01T00:00:00Z", "yesterday"] {
            let mut record = record();
            record.events.push(event(bad));
            let verdict = evaluate(&claims(), Lookup::Found(&record), NOW);
            assert_eq!(
                status_of(&verdict, CheckId::TimelineConsistent),
                Status::Failed,
                "{bad}"
            );
        }
    }

    #[test]
    fn a_recalled_lot_raises_the_banner_and_is_not_authentic() {
        let mut record = record();
        record.recall = Some(Recall {
            reason: LocalText::vi("Nhiễm khuẩn"),
            date: "2026-11-20".into(),
            authority: "Cục ATTP".into(),
        });
        let verdict = evaluate(&claims(), Lookup::Found(&record), NOW);
        assert_eq!(verdict.state, VerdictState::NotAuthentic);
        assert!(verdict.recall.is_some());
    }
}
