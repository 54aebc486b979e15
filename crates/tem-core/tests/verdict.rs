//! The verdict on real evidence: a trust list signed by a root, records signed by issuers'
//! keys, stamps parsed from their links, scan histories and recalls as the portal sends them.
//! One test per thing a verdict can say (DESIGN §5).

use tem_core::payload::{self, Payload};
use tem_core::record::{LocalText, RecallNotice};
use tem_core::scan::{Activation, ScanHistory, UnitState};
use tem_core::trust::{Jwk, JwkSet, TrustList, sign, sign_stamp, with_stamp_signature};
use tem_core::verdict::{
    Assessment, CheckId, Evidence, Fetched, Status, Trust, VerdictState, evaluate,
};

/// 2026-12-01T09:00:00+07:00.
const NOW: i64 = 1_796_090_400;
const DAY: i64 = 86_400;
const GTIN: &str = "08936012345674";
const PORTAL: &str = "https://truyxuat.example.vn";

fn root() -> Jwk {
    Jwk::ed25519_from_seed([1; 32], "root")
}

fn issuer(kid: &str, seed: u8, nbf: i64, exp: i64) -> Jwk {
    let mut key = Jwk::ed25519_from_seed([seed; 32], kid);
    key.iss = Some(LocalText::both(
        "HTX Ong Phố Hiến",
        "Phố Hiến Bee Cooperative",
    ));
    key.nbf = Some(nbf);
    key.exp = Some(exp);
    key.domains = vec!["truyxuat.example.vn".into()];
    key.gcp = vec!["893601234".into()];
    key
}

fn current() -> Jwk {
    issuer("phohien-2026", 2, NOW - 30 * DAY, NOW + 700 * DAY)
}

fn expired() -> Jwk {
    issuer("phohien-2024", 3, NOW - 800 * DAY, NOW - 30 * DAY)
}

fn unlisted() -> Jwk {
    issuer("stranger", 4, NOW - DAY, NOW + DAY)
}

fn trust_list() -> TrustList {
    let set = JwkSet {
        keys: vec![current().public(), expired().public()],
        iat: Some(NOW - DAY),
        exp: Some(NOW + 29 * DAY),
    };
    let signed = sign(&serde_json::to_vec(&set).unwrap(), &root(), None).unwrap();
    TrustList::from_signed(&signed, &[root().public()], NOW).unwrap()
}

fn record_json(lot: &str, serial: Option<&str>, expiry: &str) -> String {
    serde_json::json!({
        "id": format!("{GTIN}.{lot}"),
        "product": {"gtin": GTIN, "name": {"vi": "Mật ong hoa nhãn"}, "origin": "Hưng Yên",
                    "brand": "Ong Phố Hiến", "image": "/media/mat-ong.svg", "standards": ["VietGAP"]},
        "producer": {"name": "HTX Ong Phố Hiến", "address": "Khoái Châu, Hưng Yên"},
        "lot": {"lot": lot, "production_date": "2026-05-06", "expiry_date": expiry},
        "serial": serial,
        "events": events(),
        "issued_at": "2026-11-30T00:00:00Z",
    })
    .to_string()
}

/// A full history: harvest, processing, packing, shipping and receiving, each with its trace
/// codes and place.
fn events() -> serde_json::Value {
    let step = |id: &str, time: &str, stage: &str, biz: &str, gln: &str, item: &str| {
        serde_json::json!({"id": id, "time": time, "stage": stage, "event_type": "ObjectEvent",
            "biz_step": biz, "place": {"gln": gln, "name": id}, "summary": {"vi": id},
            "inputs": if biz == "transforming" { vec![item] } else { vec![] },
            "outputs": [item]})
    };
    let lot = format!("(01){GTIN}(10)MO2604");
    let pallet = "(00)089360123400000013";
    serde_json::json!([
        step(
            "harvest",
            "2026-04-24T06:30:00+07:00",
            "harvest",
            "commissioning",
            "8936012341003",
            &lot
        ),
        step(
            "process",
            "2026-05-01T08:00:00+07:00",
            "processing",
            "transforming",
            "8936012342000",
            &lot
        ),
        step(
            "pack",
            "2026-05-06T10:00:00+07:00",
            "packing",
            "packing",
            "8936012342000",
            pallet
        ),
        step(
            "ship",
            "2026-05-09T05:45:00+07:00",
            "transport",
            "shipping",
            "8936009000104",
            pallet
        ),
        step(
            "receive",
            "2026-05-09T09:10:00+07:00",
            "retail",
            "receiving",
            "8936009000371",
            pallet
        ),
    ])
}

fn signed_record(key: &Jwk, lot: &str, serial: Option<&str>) -> String {
    sign(
        record_json(lot, serial, "2028-05-05").as_bytes(),
        key,
        Some("tem-record+json"),
    )
    .unwrap()
}

fn stamp(link: &str) -> Payload {
    payload::parse(link).unwrap()
}

fn unit_stamp() -> Payload {
    stamp(&format!("{PORTAL}/01/{GTIN}/10/MO2604/21/A0001"))
}

fn history(count: u64, provinces: &[&str], state: UnitState) -> ScanHistory {
    ScanHistory {
        count,
        first_scan_at: Some("2026-11-10T02:00:00Z".into()),
        provinces: provinces.iter().map(|p| p.to_string()).collect(),
        state,
        activated: None,
    }
}

/// Evidence around one stamp, with every answer good unless a test says otherwise.
struct Case {
    stamp: Payload,
    trust: Option<TrustList>,
    record: Result<String, LocalText>,
    scans: Option<Result<ScanHistory, LocalText>>,
    recalls: Result<Vec<RecallNotice>, LocalText>,
    now: i64,
}

impl Case {
    fn genuine() -> Case {
        Case {
            stamp: unit_stamp(),
            trust: Some(trust_list()),
            record: Ok(signed_record(&current(), "MO2604", Some("A0001"))),
            scans: Some(Ok(history(1, &[], UnitState::Issued))),
            recalls: Ok(vec![]),
            now: NOW,
        }
    }

    fn judge(&self) -> Assessment {
        let down = LocalText::vi("mất mạng");
        let trust = match &self.trust {
            Some(list) => Trust::List {
                list,
                fetched_at: NOW - 60,
                cached: false,
            },
            None => Trust::Unavailable(&down),
        };
        evaluate(&Evidence {
            stamp: &self.stamp,
            trust,
            record: match &self.record {
                Ok(jws) => Fetched::Got(jws.as_str()),
                Err(reason) => Fetched::Unavailable(reason),
            },
            scans: self.scans.as_ref().map(|scans| match scans {
                Ok(history) => Fetched::Got(history),
                Err(reason) => Fetched::Unavailable(reason),
            }),
            recalls: match &self.recalls {
                Ok(list) => Fetched::Got(&list[..]),
                Err(reason) => Fetched::Unavailable(reason),
            },
            now: self.now,
        })
    }
}

fn status(assessment: &Assessment, id: CheckId) -> Option<Status> {
    assessment.verdict.status_of(id)
}

#[test]
fn a_genuine_serialised_unit_on_its_first_scan_is_authentic() {
    let assessment = Case::genuine().judge();
    let verdict = &assessment.verdict;
    assert_eq!(
        verdict.state,
        VerdictState::Authentic,
        "{:#?}",
        verdict.checks
    );
    assert!(verdict.checks.iter().all(|c| c.status == Status::Passed));
    assert_eq!(
        verdict.issuer.as_ref().map(|i| i.vi.as_str()),
        Some("HTX Ong Phố Hiến")
    );
    assert!(!verdict.summary().vi.contains("chưa chứng minh"));
    assert_eq!(assessment.record.unwrap().serial.as_deref(), Some("A0001"));
}

#[test]
fn a_lot_stamp_is_at_best_caution_and_says_it_is_not_individual() {
    let case = Case {
        stamp: stamp(&format!("{PORTAL}/01/{GTIN}/10/MO2604")),
        record: Ok(signed_record(&current(), "MO2604", None)),
        scans: None,
        ..Case::genuine()
    };
    let assessment = case.judge();
    assert_eq!(assessment.verdict.state, VerdictState::Caution);
    assert_eq!(
        status(&assessment, CheckId::Signature),
        Some(Status::Passed)
    );
    assert_eq!(
        status(&assessment, CheckId::ItemHistory),
        Some(Status::Warning)
    );
    assert!(
        assessment
            .verdict
            .summary()
            .vi
            .contains("chưa chứng minh hàng là thật")
    );
}

#[test]
fn a_recall_is_its_own_state_not_a_fake() {
    let case = Case {
        recalls: Ok(vec![RecallNotice {
            gtin: GTIN.into(),
            lot: "MO2604".into(),
            reason: LocalText::vi("Nhiễm khuẩn"),
            date: "2026-11-20".into(),
            authority: "Cục ATTP".into(),
        }]),
        ..Case::genuine()
    };
    let assessment = case.judge();
    assert_eq!(assessment.verdict.state, VerdictState::Recalled);
    assert!(assessment.verdict.recall.is_some());
}

#[test]
fn a_recall_of_another_lot_is_not_this_lots() {
    let case = Case {
        recalls: Ok(vec![RecallNotice {
            gtin: GTIN.into(),
            lot: "MO2609".into(),
            reason: LocalText::vi("x"),
            date: "2026-11-20".into(),
            authority: "y".into(),
        }]),
        ..Case::genuine()
    };
    assert_eq!(case.judge().verdict.state, VerdictState::Authentic);
}

#[test]
fn an_expired_product_is_caution_by_the_date_in_viet_nam() {
    // 17:30 UTC on the expiry day is already the next day in Hà Nội.
    let evening = tem_core::time::rfc3339_to_unix("2026-12-01T17:30:00Z").unwrap();
    let record = sign(
        record_json("MO2604", Some("A0001"), "2026-12-01").as_bytes(),
        &current(),
        None,
    )
    .unwrap();
    let case = Case {
        record: Ok(record.clone()),
        now: evening,
        ..Case::genuine()
    };
    let assessment = case.judge();
    assert_eq!(
        status(&assessment, CheckId::NotExpired),
        Some(Status::Warning)
    );
    assert_eq!(assessment.verdict.state, VerdictState::Caution);
    let morning = Case {
        record: Ok(record),
        now: evening - 3 * 3600,
        ..Case::genuine()
    };
    assert_eq!(
        status(&morning.judge(), CheckId::NotExpired),
        Some(Status::Passed)
    );
}

#[test]
fn a_serial_scanned_forty_times_in_five_provinces_is_not_authentic() {
    let provinces = [
        "Hà Nội",
        "TP Hồ Chí Minh",
        "Hải Phòng",
        "Đà Nẵng",
        "Cần Thơ",
    ];
    let case = Case {
        scans: Some(Ok(history(41, &provinces, UnitState::Activated))),
        ..Case::genuine()
    };
    let assessment = case.judge();
    assert_eq!(assessment.verdict.state, VerdictState::NotAuthentic);
    let item = assessment
        .verdict
        .checks
        .iter()
        .find(|c| c.id == CheckId::ItemHistory)
        .unwrap();
    assert!(
        item.detail.vi.contains("41 lần ở 5 tỉnh/thành"),
        "{}",
        item.detail.vi
    );
}

#[test]
fn a_unit_sold_at_a_retailer_may_be_checked_more_often() {
    let mut sold = history(14, &["Hà Nội"], UnitState::Activated);
    sold.activated = Some(Activation {
        at: "2026-05-12T10:20:00+07:00".into(),
        retailer: "Cửa hàng Ba Miền".into(),
    });
    let case = Case {
        scans: Some(Ok(sold)),
        ..Case::genuine()
    };
    assert_eq!(case.judge().verdict.state, VerdictState::Authentic);
    let unsold = Case {
        scans: Some(Ok(history(14, &["Hà Nội"], UnitState::Issued))),
        ..Case::genuine()
    };
    assert_eq!(unsold.judge().verdict.state, VerdictState::Caution);
}

#[test]
fn a_voided_stamp_is_not_authentic() {
    let case = Case {
        scans: Some(Ok(history(1, &[], UnitState::Void))),
        ..Case::genuine()
    };
    let assessment = case.judge();
    assert_eq!(status(&assessment, CheckId::NotVoid), Some(Status::Failed));
    assert_eq!(assessment.verdict.state, VerdictState::NotAuthentic);
}

#[test]
fn a_lookalike_domain_is_not_authentic_and_names_the_domain() {
    let case = Case {
        stamp: stamp(&format!(
            "https://truyxuatnguongoc.g\u{43e}v.vn/01/{GTIN}/10/MO2604/21/A0001"
        )),
        ..Case::genuine()
    };
    let assessment = case.judge();
    assert_eq!(assessment.verdict.state, VerdictState::NotAuthentic);
    let domain = &assessment.verdict.checks[0];
    assert_eq!(
        (domain.id, domain.status),
        (CheckId::StampDomain, Status::Failed)
    );
    assert!(domain.detail.vi.contains("xn--"), "{}", domain.detail.vi);
    assert!(domain.detail.vi.contains("truyxuatnguongoc.gov.vn"));
}

#[test]
fn a_domain_the_issuer_does_not_sign_for_is_not_authentic() {
    let case = Case {
        stamp: stamp(&format!(
            "https://shop.example.com/01/{GTIN}/10/MO2604/21/A0001"
        )),
        ..Case::genuine()
    };
    let assessment = case.judge();
    assert_eq!(
        status(&assessment, CheckId::StampDomain),
        Some(Status::Failed)
    );
    assert_eq!(assessment.verdict.state, VerdictState::NotAuthentic);
}

#[test]
fn a_record_changed_after_signing_is_not_authentic_and_still_shown() {
    let genuine = signed_record(&current(), "MO2604", Some("A0001"));
    let parts: Vec<&str> = genuine.split('.').collect();
    let forged_payload = record_json("MO2604", Some("A0001"), "2029-05-05");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        tem_core::base64url::encode(forged_payload.as_bytes()),
        parts[2]
    );
    let assessment = Case {
        record: Ok(forged),
        ..Case::genuine()
    }
    .judge();
    assert_eq!(
        status(&assessment, CheckId::Signature),
        Some(Status::Failed)
    );
    assert_eq!(assessment.verdict.state, VerdictState::NotAuthentic);
    assert!(
        assessment.record.is_some(),
        "shown, with the verdict saying it is forged"
    );
}

#[test]
fn an_unknown_key_is_not_verified_rather_than_fake() {
    let assessment = Case {
        record: Ok(signed_record(&unlisted(), "MO2604", Some("A0001"))),
        ..Case::genuine()
    }
    .judge();
    assert_eq!(
        status(&assessment, CheckId::Signature),
        Some(Status::NotRun)
    );
    // The matching content of an unverified record counts for nothing.
    assert_eq!(
        status(&assessment, CheckId::LotMatches),
        Some(Status::NotRun)
    );
    assert_eq!(assessment.verdict.state, VerdictState::Caution);
}

#[test]
fn an_expired_key_is_not_verified_rather_than_fake() {
    let assessment = Case {
        record: Ok(signed_record(&expired(), "MO2604", Some("A0001"))),
        ..Case::genuine()
    }
    .judge();
    assert_eq!(
        status(&assessment, CheckId::Signature),
        Some(Status::NotRun)
    );
    assert_eq!(assessment.verdict.state, VerdictState::Caution);
}

#[test]
fn a_genuinely_signed_record_of_another_lot_is_not_authentic() {
    let assessment = Case {
        record: Ok(signed_record(&current(), "MO2609", Some("A0001"))),
        ..Case::genuine()
    }
    .judge();
    assert_eq!(
        status(&assessment, CheckId::LotMatches),
        Some(Status::Failed)
    );
    assert_eq!(assessment.verdict.state, VerdictState::NotAuthentic);
}

#[test]
fn a_portal_that_cannot_be_reached_is_never_authentic() {
    let down = || LocalText::vi("mất mạng");
    let assessment = Case {
        record: Err(down()),
        scans: Some(Err(down())),
        recalls: Err(down()),
        ..Case::genuine()
    }
    .judge();
    assert_eq!(assessment.verdict.state, VerdictState::Caution);
    assert_eq!(
        status(&assessment, CheckId::RecordFound),
        Some(Status::NotRun)
    );
}

#[test]
fn each_check_that_could_not_run_alone_keeps_the_verdict_from_authentic() {
    let down = || LocalText::vi("hết giờ");
    let cases = [
        Case {
            trust: None,
            ..Case::genuine()
        },
        Case {
            scans: Some(Err(down())),
            ..Case::genuine()
        },
        Case {
            recalls: Err(down()),
            ..Case::genuine()
        },
        Case {
            record: Ok("not a jws".into()),
            ..Case::genuine()
        },
    ];
    for (index, case) in cases.iter().enumerate() {
        assert_eq!(
            case.judge().verdict.state,
            VerdictState::Caution,
            "case {index}"
        );
    }
}

#[test]
fn a_trust_list_past_its_expiry_verifies_nothing() {
    let case = Case::genuine();
    let record = case.record.clone().unwrap();
    let assessment = evaluate(&Evidence {
        stamp: &case.stamp,
        trust: Trust::Expired {
            exp: NOW - DAY,
            fetched_at: NOW - 31 * DAY,
        },
        record: Fetched::Got(&record),
        scans: None,
        recalls: Fetched::Got(&[]),
        now: NOW,
    });
    assert_eq!(
        status(&assessment, CheckId::Signature),
        Some(Status::NotRun)
    );
    assert_ne!(assessment.verdict.state, VerdictState::Authentic);
    assert!(assessment.verdict.trust_list.unwrap().expired);
}

fn signed_stamp(key: &Jwk) -> Payload {
    let link = format!("{PORTAL}/01/{GTIN}/10/MO2604/21/A0001");
    let value = sign_stamp(&stamp(&link), key).unwrap();
    stamp(&with_stamp_signature(&link, &value))
}

#[test]
fn a_signed_stamp_checks_out_offline_without_any_record() {
    let down = || LocalText::vi("mất mạng");
    let assessment = Case {
        stamp: signed_stamp(&current()),
        record: Err(down()),
        scans: Some(Err(down())),
        recalls: Err(down()),
        ..Case::genuine()
    }
    .judge();
    assert_eq!(
        status(&assessment, CheckId::StampSignature),
        Some(Status::Passed)
    );
    assert_eq!(
        status(&assessment, CheckId::StampDomain),
        Some(Status::Passed)
    );
    assert_eq!(assessment.verdict.state, VerdictState::Caution);
    assert!(assessment.verdict.issuer.is_some());
}

#[test]
fn a_stamp_signature_by_a_stranger_is_forged() {
    let mut stranger = unlisted();
    stranger.kid = Some("phohien-2026".into());
    let assessment = Case {
        stamp: signed_stamp(&stranger),
        ..Case::genuine()
    }
    .judge();
    assert_eq!(
        status(&assessment, CheckId::StampSignature),
        Some(Status::Failed)
    );
    assert_eq!(assessment.verdict.state, VerdictState::NotAuthentic);
}

#[test]
fn a_label_only_record_keeps_a_genuine_unit_at_caution_and_says_so() {
    let record = serde_json::json!({
        "id": format!("{GTIN}.MO2604.A0001"),
        "product": {"gtin": GTIN, "name": {"vi": "Mật ong"}, "origin": "Hưng Yên"},
        "producer": {"name": "HTX Ong Phố Hiến"},
        "lot": {"lot": "MO2604", "expiry_date": "2028-05-05"},
        "serial": "A0001",
        "events": [{"id": "pack", "time": "2026-05-06T10:00:00+07:00", "stage": "packing",
                    "event_type": "AggregationEvent", "summary": {"vi": "Đóng chai"}}],
        "issued_at": "2026-11-30T00:00:00Z",
    });
    let signed = sign(record.to_string().as_bytes(), &current(), None).unwrap();
    let assessment = Case {
        record: Ok(signed),
        ..Case::genuine()
    }
    .judge();
    assert_eq!(
        status(&assessment, CheckId::RecordDepth),
        Some(Status::Warning)
    );
    assert_eq!(assessment.verdict.state, VerdictState::Caution);
    let depth = assessment
        .verdict
        .checks
        .iter()
        .find(|c| c.id == CheckId::RecordDepth)
        .unwrap();
    assert!(
        depth.detail.vi.starts_with("Tem chỉ có thông tin nhãn"),
        "{}",
        depth.detail.vi
    );
}
