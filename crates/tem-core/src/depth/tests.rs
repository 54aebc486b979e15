use super::*;
use crate::record::{LocalText, Lot, Party, Place, Product};

/// A GLN with its check digit, from the company prefix and location reference.
fn gln(body: &str) -> String {
    let check = gs1::gtin_check_digit(body).expect("12 digits");
    format!("{body}{check}")
}

const GTIN: &str = "08936012345674";
const LOT: &str = "MO2604";

fn lot_item() -> String {
    format!("(01){GTIN}(10){LOT}")
}

fn pallet() -> String {
    "(00)389360124000000015".into()
}

/// An event at a place with a valid GLN, naming `outputs`.
fn event(id: &str, time: &str, step: &str, place: &str, outputs: &[String]) -> TimelineEvent {
    let stage = Stage::from_biz_step(step);
    TimelineEvent {
        id: id.into(),
        time: time.into(),
        stage,
        event_type: "ObjectEvent".into(),
        biz_step: Some(step.into()),
        disposition: None,
        place: Some(Place {
            gln: Some(gln(place)),
            name: format!("Nơi {place}"),
            address: None,
        }),
        actor: None,
        summary: LocalText::vi(step),
        inputs: vec![],
        outputs: outputs.to_vec(),
    }
}

fn transformation(id: &str, time: &str, inputs: &[&str]) -> TimelineEvent {
    TimelineEvent {
        event_type: "TransformationEvent".into(),
        stage: Stage::Processing,
        inputs: inputs.iter().map(|i| i.to_string()).collect(),
        ..event(id, time, "transforming", FACILITY, &[lot_item()])
    }
}

const FARM: &str = "893601234100";
const FACILITY: &str = "893601234200";
const WAREHOUSE: &str = "893600900010";
const STORE: &str = "893600900037";

/// Harvest → process → pack → store → ship → receive → retail, as the demo's honey.
fn full_history() -> Vec<TimelineEvent> {
    vec![
        event(
            "ev-1",
            "2026-04-24T06:30:00+07:00",
            "commissioning",
            FARM,
            &[lot_item()],
        ),
        transformation(
            "ev-2",
            "2026-05-01T08:00:00+07:00",
            &["(01)08936012341003(10)TH2604"],
        ),
        event(
            "ev-3",
            "2026-05-06T10:00:00+07:00",
            "packing",
            FACILITY,
            &[pallet()],
        ),
        event(
            "ev-4",
            "2026-05-07T15:30:00+07:00",
            "storing",
            WAREHOUSE,
            &[pallet()],
        ),
        event(
            "ev-5",
            "2026-05-09T05:45:00+07:00",
            "shipping",
            WAREHOUSE,
            &[pallet()],
        ),
        event(
            "ev-6",
            "2026-05-09T09:10:00+07:00",
            "receiving",
            STORE,
            &[pallet()],
        ),
        event(
            "ev-7",
            "2026-05-10T08:00:00+07:00",
            "retail_selling",
            STORE,
            &[lot_item()],
        ),
    ]
}

fn record(events: Vec<TimelineEvent>) -> TraceRecord {
    TraceRecord {
        id: format!("{GTIN}.{LOT}"),
        product: Product {
            gtin: GTIN.into(),
            name: LocalText::both("Mật ong hoa nhãn Hưng Yên", "Hưng Yên longan-flower honey"),
            brand: Some("Ong Phố Hiến".into()),
            description: None,
            image: Some("/media/mat-ong-hoa-nhan.svg".into()),
            origin: "Khoái Châu, Hưng Yên, Việt Nam".into(),
            net_content: Some("500 ml".into()),
            standards: vec!["OCOP 4 sao".into()],
        },
        producer: Party {
            name: "HTX Nuôi ong Phố Hiến".into(),
            address: Some("Xã Đông Kết, Khoái Châu, Hưng Yên".into()),
            gln: None,
        },
        lot: Lot {
            lot: LOT.into(),
            production_date: Some("2026-05-06".into()),
            expiry_date: Some("2028-05-05".into()),
        },
        serial: None,
        events,
        recall: None,
        issued_at: "2026-11-25T09:00:00+07:00".into(),
    }
}

fn refs(events: &[EventRef]) -> Vec<&str> {
    events.iter().map(|e| e.id.as_str()).collect()
}

#[test]
fn a_full_history_with_every_stages_data_is_full_and_passes() {
    let depth = assess(&record(full_history()));
    assert_eq!(depth.level, Level::Full, "{depth:#?}");
    assert!(depth.passes());
    assert_eq!(
        depth.consumer_fields,
        ConsumerFields::Checked { missing: vec![] }
    );
    assert!(depth.details().is_empty(), "{:?}", depth.details());
}

#[test]
fn a_record_with_no_events_reads_as_label_only() {
    let depth = assess(&record(vec![]));
    assert_eq!(depth.level, Level::LabelOnly);
    assert_eq!(depth.history, [HistoryGap::NoEvents]);
    assert!(!depth.passes());
}

#[test]
fn a_single_event_reads_as_label_only_whatever_its_stage() {
    for step in ["packing", "commissioning"] {
        let only = event(
            "ev-1",
            "2026-05-06T10:00:00+07:00",
            step,
            FACILITY,
            &[lot_item()],
        );
        let depth = assess(&record(vec![only]));
        assert_eq!(depth.level, Level::LabelOnly, "{step}");
        assert!(depth.history.contains(&HistoryGap::SingleEvent), "{step}");
    }
}

#[test]
fn a_history_all_at_one_place_within_minutes_reads_as_label_only() {
    let events = vec![
        event(
            "ev-1",
            "2026-05-06T10:00:00+07:00",
            "commissioning",
            FACILITY,
            &[lot_item()],
        ),
        event(
            "ev-2",
            "2026-05-06T10:05:00+07:00",
            "packing",
            FACILITY,
            &[pallet()],
        ),
        event(
            "ev-3",
            "2026-05-06T10:20:00+07:00",
            "shipping",
            FACILITY,
            &[pallet()],
        ),
        event(
            "ev-4",
            "2026-05-06T03:29:00Z",
            "receiving",
            FACILITY,
            &[pallet()],
        ),
    ];
    let depth = assess(&record(events));
    assert_eq!(depth.history, [HistoryGap::OnePlaceWithinMinutes]);
    assert_eq!(depth.level, Level::LabelOnly);
}

#[test]
fn one_place_is_judged_by_gln_then_by_name_and_half_an_hour_is_enough_to_be_real() {
    let mut events = vec![
        event(
            "ev-1",
            "2026-05-06T10:00:00+07:00",
            "commissioning",
            FACILITY,
            &[lot_item()],
        ),
        event(
            "ev-2",
            "2026-05-06T10:30:00+07:00",
            "shipping",
            FACILITY,
            &[pallet()],
        ),
        event(
            "ev-3",
            "2026-05-06T10:20:00+07:00",
            "receiving",
            FACILITY,
            &[pallet()],
        ),
    ];
    // 30 minutes from first to last (the earliest and latest, not the first and last listed).
    let depth = assess_events(&events);
    assert!(!depth.history.contains(&HistoryGap::OnePlaceWithinMinutes));

    events[1].time = "2026-05-06T10:25:00+07:00".into();
    assert!(
        assess_events(&events)
            .history
            .contains(&HistoryGap::OnePlaceWithinMinutes)
    );

    // Without GLNs, the same name (in any case and spacing) is the same place.
    for (index, event) in events.iter_mut().enumerate() {
        let name = if index == 0 {
            " Xưởng Phố Hiến"
        } else {
            "xưởng phố hiến "
        };
        event.place = Some(Place {
            gln: None,
            name: name.into(),
            address: None,
        });
    }
    assert!(
        assess_events(&events)
            .history
            .contains(&HistoryGap::OnePlaceWithinMinutes)
    );
    events[2].place.as_mut().expect("place").name = "Cửa hàng Hàng Bạc".into();
    assert!(
        !assess_events(&events)
            .history
            .contains(&HistoryGap::OnePlaceWithinMinutes)
    );
}

#[test]
fn a_history_without_production_or_processing_reads_as_label_only() {
    let events = full_history().split_off(2);
    let depth = assess(&record(events));
    assert_eq!(depth.history, [HistoryGap::NoProductionStage]);
    assert_eq!(depth.level, Level::LabelOnly);
    assert_eq!(
        depth.summary(),
        LocalText::both(
            "Tem chỉ có thông tin nhãn, không có lịch sử sản xuất",
            "This stamp has only label information, no production history"
        )
    );
}

#[test]
fn a_history_without_distribution_is_partial_and_says_so_first() {
    let mut events = full_history();
    events.truncate(3);
    let depth = assess(&record(events));
    assert_eq!(depth.history, [HistoryGap::NoDistributionStage]);
    assert_eq!(depth.level, Level::Partial);
    assert_eq!(
        depth.summary(),
        LocalText::both(
            "Hồ sơ truy xuất chưa đầy đủ: không có công đoạn phân phối",
            "Incomplete trace record: no distribution step"
        )
    );
}

#[test]
fn a_shipment_never_received_is_named() {
    let mut events = full_history();
    events.remove(5);
    let depth = assess(&record(events));
    assert_eq!(refs(&depth.unreceived_shipments), ["ev-5"]);
    assert_eq!(depth.unreceived_shipments[0].index, 4);
    assert_eq!(depth.level, Level::Partial);
    assert_eq!(
        depth.summary().get(true),
        "Incomplete trace record: a shipment is never received"
    );
    assert_eq!(
        depth.details(),
        [LocalText::both(
            "Công đoạn 5 xuất hàng đi nhưng sau đó không có bước nhận hàng.",
            "Step 5 ships the goods but no later step receives them."
        )]
    );
}

#[test]
fn a_receipt_of_other_items_or_before_the_shipment_does_not_count() {
    let mut events = full_history();
    events[5].outputs = vec!["(00)389360124000000022".into()];
    assert_eq!(refs(&assess_events(&events).unreceived_shipments), ["ev-5"]);

    let mut events = full_history();
    events.swap(4, 5);
    let depth = assess_events(&events);
    assert_eq!(refs(&depth.unreceived_shipments), ["ev-5"]);
    // Listed after but dated before: the order is reported on its own.
    assert_eq!(refs(&[depth.out_of_order[0].event.clone()]), ["ev-5"]);
}

#[test]
fn a_shipment_received_under_another_spelling_of_its_identifier_is_received() {
    let mut events = full_history();
    events[4].outputs = vec!["urn:epc:id:sscc:8936012.3400000001".into()];
    events[4].biz_step = Some("urn:epcglobal:cbv:bizstep:shipping".into());
    events[5].outputs = vec!["https://id.gs1.org/00/389360124000000015".into()];
    events[5].biz_step = Some("https://ref.gs1.org/cbv/BizStep-arriving".into());
    let depth = assess_events(&events);
    assert!(depth.unreceived_shipments.is_empty(), "{depth:#?}");
}

#[test]
fn a_voided_shipment_needs_no_receipt_and_an_itemless_receipt_counts() {
    let mut events = full_history();
    events[5].biz_step = Some("void_shipping".into());
    assert!(assess_events(&events).unreceived_shipments.is_empty());

    let mut events = full_history();
    events[5].outputs.clear();
    let depth = assess_events(&events);
    assert!(depth.unreceived_shipments.is_empty());
    assert_eq!(depth.stage_gaps[0].missing, [StageField::ProductTraceCode]);
}

#[test]
fn times_out_of_order_are_compared_as_instants_not_text() {
    let mut events = full_history();
    // 16:00+09:00 is 07:00Z, before ev-4's 08:30Z although the text sorts after it.
    events[4].time = "2026-05-07T16:00:00+09:00".into();
    let depth = assess_events(&events);
    let [found] = depth.out_of_order.as_slice() else {
        panic!("one event out of order: {depth:#?}");
    };
    assert_eq!(
        (found.event.id.as_str(), found.previous.id.as_str()),
        ("ev-5", "ev-4")
    );
    assert_eq!(
        depth.details(),
        [LocalText::both(
            "Công đoạn 5 có thời gian sớm hơn công đoạn 4 ghi trước nó.",
            "Step 5 is dated before step 4, listed before it."
        )]
    );

    // The same instant written with another offset is in order.
    let mut events = full_history();
    events[4].time = "2026-05-07T08:30:00Z".into();
    assert!(assess_events(&events).out_of_order.is_empty());
}

#[test]
fn an_unreadable_time_is_a_stage_gap_and_skipped_for_ordering() {
    let mut events = full_history();
    events[3].time = "hôm qua".into();
    let depth = assess_events(&events);
    assert!(depth.out_of_order.is_empty());
    assert_eq!(depth.stage_gaps[0].event.id, "ev-4");
    assert_eq!(depth.stage_gaps[0].missing, [StageField::EventTime]);
}

#[test]
fn a_transformation_without_inputs_is_named() {
    let mut events = full_history();
    events[1].inputs.clear();
    let depth = assess_events(&events);
    assert_eq!(refs(&depth.transformations_without_inputs), ["ev-2"]);
    assert_eq!(depth.level, Level::Partial);
    assert_eq!(
        depth.summary().vi,
        "Hồ sơ truy xuất chưa đầy đủ: công đoạn chế biến không ghi nguyên liệu đầu vào"
    );
}

#[test]
fn input_lots_come_from_class_urns_digital_links_and_element_strings_not_serials() {
    let mut events = full_history();
    events[1] = transformation(
        "ev-2",
        "2026-05-01T08:00:00+07:00",
        &[
            "urn:epc:class:lgtin:4012345.012345.998877",
            "https://id.gs1.org/01/09520123456788/10/L%2F25",
            "(01)04012345111118(10)4444 × 10 KGM",
            "urn:epc:id:sgtin:0614141.107346.2017",
            "urn:epc:idpat:sgtin:4012345.044444.*",
            "urn:epc:class:lgtin:4012345.012345.998877",
            "urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8",
        ],
    );
    let depth = assess_events(&events);
    let lots: Vec<(&str, &str, String)> = depth
        .input_lots
        .iter()
        .map(|l| (l.gtin.as_str(), l.lot.as_str(), l.path()))
        .collect();
    assert_eq!(
        lots,
        [
            (
                "04012345123456",
                "998877",
                "/01/04012345123456/10/998877".into()
            ),
            (
                "09520123456788",
                "L/25",
                "/01/09520123456788/10/L%2F25".into()
            ),
            (
                "04012345111118",
                "4444",
                "/01/04012345111118/10/4444".into()
            ),
        ]
    );
    assert!(depth.input_lots.iter().all(|l| l.event.id == "ev-2"));
}

#[test]
fn the_records_own_lot_is_not_linked_as_its_own_input() {
    let mut events = full_history();
    events[1].inputs.push(lot_item());
    let depth = assess(&record(events.clone()));
    assert_eq!(depth.input_lots.len(), 1);
    assert_eq!(depth.input_lots[0].lot, "TH2604");
    // A bare timeline has no lot of its own.
    assert_eq!(assess_events(&events).input_lots.len(), 2);
}

#[test]
fn each_stage_names_what_it_lacks() {
    let mut events = full_history();
    events[2].outputs = vec!["  ".into()];
    events[3].place = None;
    events[4].place.as_mut().expect("place").gln = Some("8936009000105".into());
    events[6].stage = Stage::Other;
    events[6].biz_step = None;
    events[6].time = "2026-05-10".into();
    let depth = assess_events(&events);
    let gaps: Vec<(&str, &[StageField])> = depth
        .stage_gaps
        .iter()
        .map(|g| (g.event.id.as_str(), g.missing.as_slice()))
        .collect();
    use StageField::*;
    assert_eq!(
        gaps,
        [
            ("ev-3", &[ProductTraceCode][..]),
            ("ev-4", &[LocationGln][..]),
            ("ev-5", &[LocationGln][..]),
            ("ev-7", &[StageName, EventTime][..]),
        ]
    );
    let details = depth.details();
    assert!(details.contains(&LocalText::both(
        "Công đoạn 3 (Đóng gói) thiếu mã truy vết sản phẩm.",
        "Step 3 (Packing) lacks the product trace code."
    )));
    assert!(details.contains(&LocalText::both(
        "Công đoạn 7 thiếu tên công đoạn, thời gian.",
        "Step 7 lacks the stage name, event time."
    )));
    // A step tem cannot place still has a name when its business step is given.
    let mut events = full_history();
    events[6].stage = Stage::Other;
    events[6].biz_step = Some("https://example.com/steps/tasting".into());
    assert!(assess_events(&events).stage_gaps.is_empty());
}

#[test]
fn every_missing_consumer_field_is_named_in_both_languages() {
    let mut record = record(full_history());
    record.product.name = LocalText::vi(" ");
    record.product.image = None;
    record.producer.address = None;
    record.product.origin = String::new();
    record.product.brand = Some(String::new());
    record.lot.lot = String::new();
    record.lot.expiry_date = Some("31/12/2027".into());
    record.product.standards = vec![" ".into()];
    let depth = assess(&record);
    use ConsumerField::*;
    assert_eq!(
        depth.consumer_fields.missing(),
        [
            ProductName,
            Image,
            ProducerNameAddress,
            Origin,
            Brand,
            BatchOrSerial,
            Expiry,
            Standards
        ]
    );
    assert_eq!(depth.level, Level::Partial);
    assert_eq!(
        depth.details()[6],
        LocalText::both("Thiếu hạn sử dụng.", "Missing expiry date.")
    );
    assert_eq!(
        depth.summary().vi,
        "Hồ sơ truy xuất chưa đầy đủ: thiếu tên sản phẩm, hình ảnh, tên và địa chỉ nhà sản \
         xuất/kinh doanh, xuất xứ, nhãn hiệu, số lô hoặc số sê-ri, hạn sử dụng, tiêu chuẩn áp dụng"
    );

    // A serial number stands in for the batch.
    let mut serialised = self::record(full_history());
    serialised.lot.lot = String::new();
    serialised.serial = Some("A0001".into());
    assert!(assess(&serialised).consumer_fields.missing().is_empty());
}

#[test]
fn an_epcis_timeline_has_no_consumer_fields_to_miss_and_can_be_full() {
    let depth = assess_events(&full_history());
    assert_eq!(depth.consumer_fields, ConsumerFields::NotApplicable);
    assert_eq!(depth.level, Level::Full);
    let json = serde_json::to_value(&depth).expect("serialisable");
    assert_eq!(
        json["consumer_fields"],
        serde_json::json!({"status": "not_applicable"})
    );
    assert_eq!(json["level"], "full");
    assert_eq!(json["input_lots"][0]["event"]["id"], "ev-2");
}

#[test]
fn the_summary_is_the_promised_sentence_for_a_full_history() {
    assert_eq!(
        assess(&record(full_history())).summary(),
        LocalText::both(
            "Có lịch sử sản xuất, chế biến và phân phối đầy đủ",
            "Full production, processing and distribution history"
        )
    );
}

#[test]
fn the_vietnamese_texts_hold_no_english() {
    let mut broken = full_history();
    broken[1].inputs.clear();
    broken[2].place = None;
    broken.remove(5);
    broken[3].time = "2026-05-01T00:00:00Z".into();
    let mut record = record(broken);
    record.product.image = None;
    let mut depths = vec![assess(&record), assess(&self::record(vec![]))];
    let mut one_place = full_history();
    for event in &mut one_place {
        event.place = None;
        event.time = "2026-05-06T10:00:00+07:00".into();
    }
    depths.push(assess_events(&one_place));
    let english = [
        "step",
        "the",
        "missing",
        "lacks",
        "no ",
        "record",
        "processing",
        "shipment",
        "label",
    ];
    for depth in &depths {
        let texts: Vec<LocalText> = std::iter::once(depth.summary())
            .chain(depth.details())
            .collect();
        assert!(texts.len() > 1);
        for text in texts {
            let vi = text.vi.to_lowercase();
            assert!(!english.iter().any(|word| vi.contains(word)), "{vi}");
            assert!(
                text.en
                    .as_deref()
                    .is_some_and(|en| !en.is_empty() && en != text.vi)
            );
        }
    }
}
