//! The record-depth check on trace records shaped as the portal serves them: the demo's
//! honey (tests/fixtures/record-honey.json mirrors lot MO2604 of crates/tem-portal/src/seed.rs)
//! and the two cases the portal is to seed, a label-only stamp and a shipment never received.

use tem_core::TraceRecord;
use tem_core::depth::{ConsumerFields, Depth, EventRef, Level, assess};
use tem_core::record::LocalText;

fn assessed(fixture: &str) -> Depth {
    let path = format!("{}/tests/fixtures/{fixture}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let record: TraceRecord =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{fixture} is a record: {e}"));
    assess(&record)
}

#[test]
fn the_demo_honey_has_a_full_history() {
    let depth = assessed("record-honey.json");
    assert_eq!(depth.level, Level::Full, "{depth:#?}");
    assert!(depth.passes());
    assert_eq!(
        depth.summary(),
        LocalText::both(
            "Có lịch sử sản xuất, chế biến và phân phối đầy đủ",
            "Full production, processing and distribution history"
        )
    );
    assert_eq!(
        depth.consumer_fields,
        ConsumerFields::Checked { missing: vec![] }
    );
    assert!(depth.details().is_empty());
    // The demo filters the harvested lot itself rather than naming a separate harvest lot:
    // a link from the record to itself is no step back, so there is nothing to link.
    assert!(depth.input_lots.is_empty());
}

#[test]
fn a_lot_made_and_packed_at_one_place_minutes_apart_is_label_only() {
    let depth = assessed("record-label-only.json");
    assert_eq!(depth.level, Level::LabelOnly);
    assert!(!depth.passes());
    assert_eq!(
        depth.summary(),
        LocalText::both(
            "Tem chỉ có thông tin nhãn, không có lịch sử sản xuất",
            "This stamp has only label information, no production history"
        )
    );
    assert_eq!(
        depth.details(),
        [
            LocalText::both(
                "Không có công đoạn phân phối (lưu kho, vận chuyển, bán lẻ).",
                "No distribution step (storage, transport or retail)."
            ),
            LocalText::both(
                "Mọi công đoạn đều ghi ở cùng một nơi, trong vòng chưa đến 30 phút.",
                "Every step is recorded at one place, less than 30 minutes apart."
            ),
        ]
    );
    // The label fields are all there: what is missing is the history.
    assert!(depth.consumer_fields.missing().is_empty());
}

#[test]
fn a_fish_sauce_shipped_and_never_received_is_partial_and_links_its_catch() {
    let depth = assessed("record-unreceived-shipment.json");
    assert_eq!(depth.level, Level::Partial);
    assert_eq!(
        depth.unreceived_shipments,
        [EventRef {
            index: 4,
            id: "ev-0005".into()
        }]
    );
    assert_eq!(
        depth.summary(),
        LocalText::both(
            "Hồ sơ truy xuất chưa đầy đủ: có lô hàng xuất đi mà không có bước nhận hàng",
            "Incomplete trace record: a shipment is never received"
        )
    );
    assert_eq!(
        depth.details(),
        [LocalText::both(
            "Công đoạn 5 xuất hàng đi nhưng sau đó không có bước nhận hàng.",
            "Step 5 ships the goods but no later step receives them."
        )]
    );
    let [catch] = depth.input_lots.as_slice() else {
        panic!("one input lot: {:?}", depth.input_lots);
    };
    assert_eq!(catch.path(), "/01/08936023459018/10/CC2509-BLV");
    assert_eq!(catch.event.id, "ev-0002");
}

#[test]
fn the_assessment_serialises_with_the_names_the_widget_reads() {
    let json = serde_json::to_value(assessed("record-unreceived-shipment.json")).expect("json");
    assert_eq!(json["level"], "partial");
    assert_eq!(json["history"], serde_json::json!([]));
    assert_eq!(
        json["consumer_fields"],
        serde_json::json!({"status": "checked", "missing": []})
    );
    assert_eq!(
        json["unreceived_shipments"],
        serde_json::json!([{"index": 4, "id": "ev-0005"}])
    );
    assert_eq!(
        json["input_lots"],
        serde_json::json!([{
            "gtin": "08936023459018",
            "lot": "CC2509-BLV",
            "event": {"index": 1, "id": "ev-0002"}
        }])
    );
}
