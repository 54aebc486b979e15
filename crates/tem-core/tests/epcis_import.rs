//! EPCIS import on hand-made documents: each schema violation class gives its message, hostile
//! input (truncated, huge, deep) gives an error and never a panic, and the mapping rules
//! (time zones, vocabulary spellings, recall, order) hold.

use serde_json::{Value, json};
use tem_core::Stage;
use tem_core::epcis::{
    EpcisError, EventStatus, MAX_DEPTH, MAX_DOCUMENT_BYTES, MAX_EVENTS, MAX_WARNINGS, Timeline,
    import,
};

/// A minimal valid ObjectEvent with `changes` applied (`null` removes a member).
fn object_event(changes: Value) -> Value {
    let mut event = json!({
        "type": "ObjectEvent",
        "eventTime": "2024-10-01T01:30:00Z",
        "eventTimeZoneOffset": "+07:00",
        "action": "OBSERVE",
        "bizStep": "shipping",
        "epcList": ["urn:epc:id:sgtin:8936012.034567.1001"],
        "readPoint": {"id": "urn:epc:id:sgln:8936012.00001.0"}
    });
    merge(&mut event, changes);
    event
}

fn merge(target: &mut Value, changes: Value) {
    if let (Value::Object(target), Value::Object(changes)) = (target, changes) {
        for (key, value) in changes {
            if value.is_null() {
                target.remove(&key);
            } else {
                target.insert(key, value);
            }
        }
    }
}

fn document(events: Vec<Value>) -> String {
    json!({
        "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2024-10-01T00:00:00Z",
        "epcisBody": {"eventList": events}
    })
    .to_string()
}

fn import_one(event: Value) -> Result<Timeline, EpcisError> {
    import(&document(vec![event]))
}

fn error_of(event: Value) -> EpcisError {
    import_one(event).expect_err("a schema violation")
}

#[test]
fn missing_event_time_names_the_event_and_field() {
    let error = error_of(object_event(json!({"eventTime": null})));
    assert_eq!(error.code(), "missing_field");
    assert_eq!(
        error.to_string(),
        "event 1 (ObjectEvent): eventTime is missing"
    );
    assert_eq!(
        error.message_vi(),
        "sự kiện 1 (ObjectEvent): thiếu trường eventTime"
    );
}

#[test]
fn missing_time_zone_offset_is_an_error() {
    let error = error_of(object_event(json!({"eventTimeZoneOffset": null})));
    assert_eq!(
        error.to_string(),
        "event 1 (ObjectEvent): eventTimeZoneOffset is missing"
    );
}

#[test]
fn action_is_required_for_object_aggregation_transaction_and_association_events() {
    let aggregation = json!({"type": "AggregationEvent", "eventTime": "2024-10-01T01:30:00Z",
        "eventTimeZoneOffset": "+07:00", "parentID": "urn:epc:id:sscc:8936012.0000000001",
        "childEPCs": ["urn:epc:id:sgtin:8936012.034567.1001"]});
    let transaction = json!({"type": "TransactionEvent", "eventTime": "2024-10-01T01:30:00Z",
        "eventTimeZoneOffset": "+07:00", "epcList": [],
        "bizTransactionList": [{"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:8936012000005:42"}]});
    let association = json!({"type": "AssociationEvent", "eventTime": "2024-10-01T01:30:00Z",
        "eventTimeZoneOffset": "+07:00", "parentID": "urn:epc:id:grai:8936012.00001.7",
        "childEPCs": ["urn:epc:id:giai:8936012.42"]});
    for (event, kind) in [
        (object_event(json!({"action": null})), "ObjectEvent"),
        (aggregation.clone(), "AggregationEvent"),
        (transaction.clone(), "TransactionEvent"),
        (association.clone(), "AssociationEvent"),
    ] {
        assert_eq!(
            error_of(event).to_string(),
            format!("event 1 ({kind}): action is missing")
        );
    }
    for mut event in [aggregation, transaction, association] {
        merge(&mut event, json!({"action": "ADD"}));
        assert!(import_one(event).is_ok());
    }
}

#[test]
fn transformation_events_need_no_action_but_need_inputs_and_outputs() {
    let mut transformation = json!({"type": "TransformationEvent",
        "eventTime": "2024-10-01T01:30:00Z", "eventTimeZoneOffset": "+07:00",
        "inputEPCList": ["urn:epc:id:sgtin:8936012.034567.1001"]});
    let error = import_one(transformation.clone()).expect_err("no outputs");
    assert_eq!(error.code(), "no_objects");
    assert!(
        error
            .to_string()
            .starts_with("event 1 (TransformationEvent): names no objects; it needs both inputs")
    );
    merge(
        &mut transformation,
        json!({"outputQuantityList": [{"epcClass": "urn:epc:class:lgtin:8936012.034567.L1",
            "quantity": 20, "uom": "KGM"}]}),
    );
    let timeline = import_one(transformation).expect("inputs and outputs");
    let event = &timeline.events[0].event;
    assert_eq!(event.stage, Stage::Processing);
    assert_eq!(event.outputs, ["(01)08936012345674(10)L1 × 20 KGM"]);
}

#[test]
fn unknown_event_type_is_an_error_but_an_extension_uri_is_read() {
    let error = error_of(object_event(json!({"type": "ObjectEvnt"})));
    assert_eq!(error.code(), "unknown_event_type");
    assert!(
        error
            .to_string()
            .starts_with("event 1 (ObjectEvnt): type 'ObjectEvnt' is not an EPCIS event type")
    );
    let timeline = import_one(object_event(
        json!({"type": "https://example.vn/epcis/FeedingEvent",
        "bizStep": null}),
    ))
    .expect("extension type");
    assert_eq!(timeline.events[0].event.stage, Stage::Other);
    assert_eq!(timeline.warnings.len(), 1);
}

#[test]
fn wrong_json_types_name_the_field_and_both_types() {
    let cases = [
        (
            json!({"epcList": "urn:epc:id:sgtin:8936012.034567.1001"}),
            "event 1 (ObjectEvent): epcList should be an array, found a string",
        ),
        (
            json!({"eventTime": 1727746200}),
            "event 1 (ObjectEvent): eventTime should be a string, found a number",
        ),
        (
            json!({"quantityList": [{"epcClass": "urn:epc:class:lgtin:8936012.034567.L1",
                "quantity": "20"}]}),
            "event 1 (ObjectEvent): quantityList[0].quantity should be a number, found a string",
        ),
        (
            json!({"readPoint": "urn:epc:id:sgln:8936012.00001.0"}),
            "event 1 (ObjectEvent): readPoint should be an object, found a string",
        ),
        (
            json!({"sensorElementList": [{"sensorReport": [{"type": "Temperature",
                "value": "26"}]}]}),
            "event 1 (ObjectEvent): sensorElementList[0].sensorReport[0].value should be a number, found a string",
        ),
    ];
    for (change, message) in cases {
        let error = error_of(object_event(change));
        assert_eq!(error.code(), "wrong_type");
        assert_eq!(error.to_string(), message);
    }
    let error = import("[42]").expect_err("an event that is a number");
    assert_eq!(
        error.to_string(),
        "event 1: event should be an object, found a number"
    );
}

#[test]
fn identifiers_that_are_not_uris_name_their_position() {
    let error = error_of(object_event(json!({"epcList": [
        "urn:epc:id:sgtin:8936012.034567.1001",
        "urn:epc:id:sgtin:8936012.034567.1002",
        "8936012345674 1003"
    ]})));
    assert_eq!(error.code(), "not_uri");
    assert_eq!(
        error.to_string(),
        "event 1 (ObjectEvent): epcList[2]: not a URI ('8936012345674 1003')"
    );
    assert_eq!(error.field(), Some("epcList[2]"));
}

#[test]
fn values_breaking_a_schema_rule_say_which_rule() {
    let cases = [
        (
            json!({"eventTime": "2024-10-01 08:30"}),
            "event 1 (ObjectEvent): eventTime '2024-10-01 08:30' is not an RFC 3339 date-time with an offset (2024-10-01T08:30:00+07:00)",
        ),
        (
            json!({"eventTimeZoneOffset": "+15:00"}),
            "event 1 (ObjectEvent): eventTimeZoneOffset '+15:00' is not an offset between -14:00 and +14:00 written ±HH:MM",
        ),
        (
            json!({"action": "MOVE"}),
            "event 1 (ObjectEvent): action 'MOVE' is not one of ADD, OBSERVE, DELETE",
        ),
        (
            json!({"ilmd": {"cbvmda:lotNumber": "L1"}}),
            "event 1 (ObjectEvent): action 'OBSERVE' does not allow ilmd: ilmd is only allowed when action is ADD",
        ),
        (
            json!({"quantityList": [{"epcClass": "urn:epc:class:lgtin:8936012.034567.L1",
                "quantity": 2, "uom": "kg"}]}),
            "event 1 (ObjectEvent): quantityList[0].uom 'kg' is not a 2 or 3 character UN/CEFACT unit code (KGM, CEL)",
        ),
    ];
    for (change, message) in cases {
        let error = error_of(object_event(change));
        assert_eq!(error.code(), "invalid_value", "{message}");
        assert_eq!(error.to_string(), message);
        assert!(!error.message_vi().is_empty());
    }
}

#[test]
fn type_specific_requirements_are_checked() {
    let transaction = json!({"type": "TransactionEvent", "action": "ADD",
        "eventTime": "2024-10-01T01:30:00Z", "eventTimeZoneOffset": "+07:00", "epcList": []});
    assert_eq!(
        error_of(transaction).to_string(),
        "event 1 (TransactionEvent): bizTransactionList is missing"
    );
    let association = json!({"type": "AssociationEvent", "action": "ADD",
        "eventTime": "2024-10-01T01:30:00Z", "eventTimeZoneOffset": "+07:00",
        "childEPCs": ["urn:epc:id:giai:8936012.42"]});
    assert_eq!(
        error_of(association).to_string(),
        "event 1 (AssociationEvent): parentID is missing"
    );
    let nothing = error_of(object_event(json!({"epcList": null})));
    assert_eq!(
        nothing.to_string(),
        "event 1 (ObjectEvent): names no objects; it needs epcList, quantityList, or sensorElementList with readPoint"
    );
    let declaration = error_of(object_event(
        json!({"errorDeclaration": {"reason": "did_not_occur"}}),
    ));
    assert_eq!(
        declaration.to_string(),
        "event 1 (ObjectEvent): errorDeclaration.declarationTime is missing"
    );
}

#[test]
fn the_envelope_must_hold_events() {
    let cases = [
        (
            r#"{"type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2024-10-01T00:00:00Z"}"#,
            "document: epcisBody is missing",
        ),
        (
            r#"{"type": "EPCISDocument", "creationDate": "2024-10-01T00:00:00Z", "epcisBody": {"eventList": []}}"#,
            "document: schemaVersion is missing",
        ),
        (
            r#"{"type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "yesterday", "epcisBody": {"eventList": []}}"#,
            "document: creationDate 'yesterday' is not an RFC 3339 date-time with an offset (2024-10-01T08:30:00+07:00)",
        ),
        (
            r#"{"type": "EPCISDocument", "schemaVersion": "2.0", "creationDate": "2024-10-01T00:00:00Z", "epcisBody": {}}"#,
            "document: epcisBody.eventList is missing",
        ),
        (
            r#"{"type": "EPCISQueryDocument", "epcisBody": {"queryResults": {"queryName": "SimpleEventQuery"}}}"#,
            "document: epcisBody.queryResults.resultsBody is missing",
        ),
        (
            r#"{"type": "EPCISQueryDocument", "epcisBody": {"queryResults": {"resultsBody": {"eventList": []}}}}"#,
            "document: epcisBody.queryResults.queryName is missing",
        ),
    ];
    for (text, message) in cases {
        assert_eq!(import(text).expect_err(message).to_string(), message);
    }
    let error = import("\"hello\"").expect_err("a string");
    assert_eq!(error.code(), "not_epcis");
    assert!(
        error
            .to_string()
            .starts_with("not an EPCIS document: the top level is a string")
    );
}

#[test]
fn truncated_documents_give_the_line_and_column_and_never_panic() {
    let text = document(vec![object_event(json!({})), object_event(json!({}))]);
    let cut = &text[..text.len() / 2];
    let error = import(cut).expect_err("truncated");
    assert_eq!(error.code(), "invalid_json");
    assert!(
        error
            .to_string()
            .starts_with("not valid JSON at line 1 column ")
            && error
                .to_string()
                .ends_with("the document ends early (truncated?)"),
        "{error}"
    );
    for end in 0..text.len() {
        if let Some(prefix) = text.get(..end) {
            assert!(import(prefix).is_err(), "prefix of {end} bytes");
        }
    }
    let error = import("{\n  \"type\": \"EPCISDocument\",\n  oops\n}").expect_err("bad JSON");
    assert_eq!(
        error.to_string(),
        "not valid JSON at line 3 column 3: key must be a string"
    );
}

#[test]
fn oversized_documents_are_refused_before_parsing() {
    let huge = format!("[{}]", " ".repeat(MAX_DOCUMENT_BYTES));
    let error = import(&huge).expect_err("too large");
    assert_eq!(error.code(), "too_large");
    assert!(error.to_string().ends_with(&format!(
        "documents over {MAX_DOCUMENT_BYTES} bytes are refused"
    )));
}

#[test]
fn deep_nesting_is_refused_with_its_own_error() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let error = import(&deep).expect_err("too deep");
    assert_eq!(
        error.to_string(),
        format!("the document nests deeper than {MAX_DEPTH} levels and is refused")
    );
    // Brackets inside strings are text, not nesting.
    let event = object_event(json!({"example:note": "[".repeat(200)}));
    assert!(import_one(event).is_ok());
}

#[test]
fn too_many_events_are_refused() {
    let events = vec![object_event(json!({})); MAX_EVENTS + 1];
    let error = import(&document(events)).expect_err("too many");
    assert_eq!(
        error.to_string(),
        format!(
            "the document has {} events; at most {MAX_EVENTS} are imported",
            MAX_EVENTS + 1
        )
    );
}

#[test]
fn times_are_written_in_the_event_time_zone_and_sorted_across_zones() {
    let events = vec![
        object_event(json!({"eventID": "urn:uuid:3", "bizStep": "receiving",
            "eventTime": "2024-10-02T09:00:00.5+07:00"})),
        object_event(
            json!({"eventID": "urn:uuid:1", "eventTime": "2024-10-01T23:00:00Z",
            "eventTimeZoneOffset": "-05:00"}),
        ),
        object_event(json!({"eventID": "urn:uuid:2", "eventTime": "2024-10-02T02:00:00.25Z"})),
        object_event(json!({"eventID": "urn:uuid:4", "eventTime": "2024-10-02T02:00:00.5Z"})),
    ];
    let timeline = import(&document(events)).expect("valid");
    let order: Vec<(&str, &str)> = timeline
        .events
        .iter()
        .map(|e| (e.event.id.as_str(), e.event.time.as_str()))
        .collect();
    assert_eq!(
        order,
        [
            ("urn:uuid:1", "2024-10-01T18:00:00-05:00"),
            ("urn:uuid:2", "2024-10-02T09:00:00.25+07:00"),
            // Same instant: document order is kept.
            ("urn:uuid:3", "2024-10-02T09:00:00.5+07:00"),
            ("urn:uuid:4", "2024-10-02T09:00:00.5+07:00"),
        ]
    );
}

#[test]
fn biz_step_spellings_map_to_one_stage_and_recall_wins() {
    for step in [
        "shipping",
        "cbv:BizStep-shipping",
        "urn:epcglobal:cbv:bizstep:shipping",
        "https://ref.gs1.org/cbv/BizStep-shipping",
    ] {
        let timeline = import_one(object_event(json!({"bizStep": step}))).expect("valid");
        let event = &timeline.events[0].event;
        assert_eq!(event.stage, Stage::Transport, "{step}");
        assert_eq!(event.biz_step.as_deref(), Some("shipping"));
    }
    let recalled = import_one(object_event(
        json!({"disposition": "urn:epcglobal:cbv:disp:recalled"}),
    ))
    .expect("valid");
    let event = &recalled.events[0].event;
    assert_eq!(event.stage, Stage::Recall);
    assert_eq!(event.disposition.as_deref(), Some("recalled"));
    assert!(event.summary.vi.starts_with("Thu hồi — Xuất hàng"));
    let in_transit = import_one(object_event(
        json!({"bizStep": null, "disposition": "in_transit"}),
    ))
    .expect("valid");
    assert_eq!(in_transit.events[0].event.stage, Stage::Transport);
}

#[test]
fn bare_events_lists_and_plain_json_import_too() {
    let event = object_event(json!({}));
    let alone = import(&event.to_string()).expect("a bare event");
    let list = import(&json!([event.clone(), event.clone()]).to_string()).expect("a list");
    assert_eq!(alone.events.len(), 1);
    assert_eq!(list.events.len(), 2);
    // No @context: plain JSON is read the same.
    let plain = json!({"type": "EPCISDocument", "schemaVersion": "2.0",
        "creationDate": "2024-10-01T00:00:00Z", "epcisBody": {"eventList": [event]}});
    let timeline = import(&plain.to_string()).expect("plain JSON");
    let imported = &timeline.events[0];
    assert_eq!(imported.event.time, "2024-10-01T08:30:00+07:00");
    assert_eq!(imported.event.outputs, ["(01)08936012345674(21)1001"]);
    assert_eq!(
        imported.event.place.as_ref().and_then(|p| p.gln.as_deref()),
        Some("8936012000016")
    );
    assert_eq!(
        imported.event.summary.vi,
        "Xuất hàng: (01)08936012345674(21)1001 tại (414)8936012000016"
    );
    assert!(timeline.warnings.is_empty(), "{:?}", timeline.warnings);
}

#[test]
fn misspelled_fields_and_vocabulary_are_warned_about_not_dropped_silently() {
    let timeline = import_one(object_event(
        json!({"bizLocaton": {"id": "urn:epc:id:sgln:8936012.00001.0"},
        "bizStep": "shiping", "example:note": "extension members are fine"}),
    ))
    .expect("valid apart from the spelling");
    assert_eq!(
        timeline.warnings,
        [
            "event 1 (ObjectEvent): unknown field 'bizLocaton' ignored",
            "event 1 (ObjectEvent): bizStep 'shiping' is neither a CBV term nor a URI",
        ]
    );
    assert_eq!(timeline.events[0].event.stage, Stage::Other);
}

#[test]
fn errors_serialise_with_code_messages_and_place() {
    let error = error_of(object_event(json!({"epcList": ["not a uri"]})));
    let value = serde_json::to_value(&error).expect("serialisable");
    assert_eq!(value["code"], "not_uri");
    assert_eq!(value["event"], 1);
    assert_eq!(value["field"], "epcList[0]");
    assert_eq!(value["message"], error.to_string());
    assert_eq!(value["message_vi"], error.message_vi());
}

#[test]
fn master_data_names_places_and_parties() {
    let mut text: Value = serde_json::from_str(&document(vec![object_event(json!({
        "bizLocation": {"id": "urn:epc:id:sgln:8936012.00001.0"},
        "sourceList": [{"type": "possessing_party", "source": "urn:epc:id:pgln:8936012.00002"}]
    }))]))
    .expect("JSON");
    text["epcisHeader"] = json!({"epcisMasterData": {"vocabularyList": [
        {"type": "urn:epcglobal:epcis:vtype:BusinessLocation", "vocabularyElementList": [
            {"id": "urn:epc:id:sgln:8936012.00001.0", "attributes": [
                {"id": "urn:epcglobal:cbv:mda#name", "attribute": "Kho Đông Anh"},
                {"id": "urn:epcglobal:cbv:mda#city", "attribute": "Hà Nội"}]}]},
        {"type": "urn:epcglobal:epcis:vtype:Party", "vocabularyElementList": [
            {"id": "urn:epc:id:pgln:8936012.00002", "attributes": [
                {"id": "cbvmda:name", "attribute": "HTX Rau sạch Văn Đức"}]}]}
    ]}});
    let timeline = import(&text.to_string()).expect("valid");
    let event = &timeline.events[0].event;
    let place = event.place.as_ref().expect("place");
    assert_eq!(place.name, "Kho Đông Anh");
    assert_eq!(place.address.as_deref(), Some("Hà Nội"));
    let actor = event.actor.as_ref().expect("actor");
    assert_eq!(actor.name, "HTX Rau sạch Văn Đức");
    assert_eq!(actor.gln.as_deref(), Some("8936012000023"));
    assert!(event.summary.vi.ends_with(" tại Kho Đông Anh"));
}

/// Every value of a document replaced in turn by each JSON type: the importer must answer with
/// a timeline or an error, never panic, and every timeline must serialise.
#[test]
fn any_member_of_any_type_gives_an_answer_not_a_panic() {
    fn positions(value: &Value, path: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    path.push(key.clone());
                    out.push(path.clone());
                    positions(child, path, out);
                    path.pop();
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    path.push(index.to_string());
                    out.push(path.clone());
                    positions(child, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
    }
    fn slot<'a>(value: &'a mut Value, path: &[String]) -> &'a mut Value {
        path.iter().fold(value, |v, key| match v {
            Value::Array(items) => &mut items[key.parse::<usize>().expect("index")],
            other => &mut other[key.as_str()],
        })
    }
    let full = object_event(json!({
        "action": "ADD", "eventID": "urn:uuid:1",
        "bizLocation": {"id": "urn:epc:id:sgln:8936012.00001.0"},
        "quantityList": [{"epcClass": "urn:epc:class:lgtin:8936012.034567.L1", "quantity": 2, "uom": "KGM"}],
        "sourceList": [{"type": "owning_party", "source": "urn:epc:id:pgln:8936012.00002"}],
        "destinationList": [{"type": "location", "destination": "urn:epc:id:sgln:8936012.00003.0"}],
        "bizTransactionList": [{"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:8936012000005:42"}],
        "sensorElementList": [{"sensorMetadata": {"time": "2024-10-01T01:00:00Z", "deviceID": "urn:epc:id:giai:8936012.1"},
            "sensorReport": [{"type": "Temperature", "value": 4.5, "uom": "CEL", "hexBinaryValue": "0f"}]}],
        "certificationInfo": ["https://vietgap.example.vn/cert/1"],
        "ilmd": {"cbvmda:lotNumber": "L1", "cbvmda:itemExpirationDate": "2025-10-01"},
        "persistentDisposition": {"set": ["active"]},
        "errorDeclaration": {"declarationTime": "2024-10-02T00:00:00Z", "correctiveEventIDs": ["urn:uuid:2"]}
    }));
    let mut original: Value = serde_json::from_str(&document(vec![full])).expect("JSON");
    original["epcisHeader"] = json!({"epcisMasterData": {"vocabularyList": [{"type": "urn:x:t",
        "vocabularyElementList": [{"id": "urn:epc:id:sgln:8936012.00001.0",
        "attributes": [{"id": "cbvmda:name", "attribute": "Kho"}], "children": ["urn:x:c"]}]}]}});
    assert!(import(&original.to_string()).is_ok());
    let mut paths = Vec::new();
    positions(&original, &mut Vec::new(), &mut paths);
    let replacements = [
        json!(null),
        json!(true),
        json!(-1.5),
        json!(""),
        json!("x"),
        json!([]),
        json!({}),
    ];
    for path in &paths {
        for replacement in &replacements {
            let mut changed = original.clone();
            *slot(&mut changed, path) = replacement.clone();
            let text = changed.to_string();
            let result = std::panic::catch_unwind(|| import(&text));
            match result {
                Ok(Ok(timeline)) => {
                    serde_json::to_string(&timeline).expect("serialisable");
                }
                Ok(Err(error)) => assert!(!error.to_string().is_empty()),
                Err(_) => panic!("panicked with {} = {replacement}", path.join(".")),
            }
        }
    }
}

#[test]
fn the_original_of_an_event_declared_in_error_is_marked_too() {
    let original = object_event(json!({"eventID": "urn:uuid:a"}));
    let declared = object_event(json!({"eventID": "urn:uuid:a", "errorDeclaration": {
        "declarationTime": "2024-10-03T00:00:00Z", "reason": "did_not_occur"}}));
    let timeline = import(&document(vec![original, declared])).expect("valid");
    for event in &timeline.events {
        assert_eq!(event.status, EventStatus::Retracted);
        assert!(
            event.event.summary.vi.ends_with(" (đã khai báo là sai)"),
            "{}",
            event.event.summary.vi
        );
    }
    assert!(timeline.events[0].error_declaration.is_none());
    assert_eq!(
        timeline.events[1]
            .error_declaration
            .as_ref()
            .and_then(|d| d.reason.as_deref()),
        Some("did_not_occur")
    );
}

#[test]
fn corrective_links_stay_bounded_when_many_declarations_name_one_event() {
    let mut events = vec![object_event(json!({"eventID": "urn:uuid:fix"}))];
    for n in 0..2_000 {
        events.push(object_event(json!({"eventID": format!("urn:uuid:{n}"),
            "errorDeclaration": {"declarationTime": "2024-10-03T00:00:00Z",
                "correctiveEventIDs": ["urn:uuid:fix", "urn:uuid:fix", "urn:uuid:gone"]}})));
    }
    let timeline = import(&document(events)).expect("valid");
    let fix = timeline
        .events
        .iter()
        .find(|e| e.event.id == "urn:uuid:fix")
        .expect("corrective event");
    assert_eq!(fix.corrects.len(), 2_000);
    // One per missing correction, up to the limit, then a count of the rest.
    assert_eq!(timeline.warnings.len(), MAX_WARNINGS + 1);
    assert_eq!(
        timeline.warnings.last().map(String::as_str),
        Some("1900 more warnings not shown")
    );
    let long_id = format!("urn:uuid:{}", "a".repeat(2_000));
    let error = error_of(object_event(json!({"eventID": long_id})));
    assert!(
        error
            .to_string()
            .ends_with("is longer than 1024 bytes, more than any real identifier")
    );
}

#[test]
fn closed_objects_refuse_members_the_schema_does_not_list() {
    let error = error_of(object_event(json!({"quantityList": [{
        "epcClass": "urn:epc:class:lgtin:8936012.034567.L1", "quantty": 20, "uom": "KGM"}]})));
    assert_eq!(error.code(), "unexpected_field");
    assert_eq!(
        error.to_string(),
        "event 1 (ObjectEvent): quantityList[0].quantty is not allowed here (only epcClass, quantity, uom)"
    );
    let error = error_of(object_event(json!({"sourceList": [{
        "type": "owning_party", "source": "urn:epc:id:pgln:8936012.00002", "name": "HTX"}]})));
    assert_eq!(error.field(), Some("sourceList[0].name"));
}

#[test]
fn a_writers_description_replaces_the_vocabulary_summary_in_both_languages() {
    let summary = |description: Value| {
        let timeline = import_one(object_event(json!({"tem:description": description}))).unwrap();
        timeline.events[0].event.summary.clone()
    };
    let both = summary(json!({"vi": "Xuất kho đi Hà Nội", "en": "Shipped to Hà Nội"}));
    assert_eq!(both.vi, "Xuất kho đi Hà Nội");
    assert_eq!(both.en.as_deref(), Some("Shipped to Hà Nội"));
    // Vietnamese only: the English line still says what the step was.
    let vietnamese = summary(json!("  Xuất kho đi Hà Nội "));
    assert_eq!(vietnamese.vi, "Xuất kho đi Hà Nội");
    assert!(
        vietnamese
            .en
            .as_deref()
            .is_some_and(|en| en.starts_with("Shipped"))
    );
    let plain = import_one(object_event(json!({}))).unwrap().events[0]
        .event
        .summary
        .clone();
    assert!(plain.vi.starts_with("Xuất hàng"), "{}", plain.vi);
}

#[test]
fn a_description_keeps_the_recall_and_error_marks_and_has_a_length_limit() {
    let recalled = import_one(object_event(json!({
        "disposition": "recalled",
        "tem:description": {"vi": "Thu về kho", "en": "Taken back"}
    })))
    .unwrap();
    assert!(
        recalled.events[0]
            .event
            .summary
            .vi
            .starts_with("Thu hồi — Thu về kho")
    );
    let long = "a".repeat(501);
    let error = error_of(object_event(json!({"tem:description": long})));
    assert_eq!(error.field(), Some("tem:description"));
    let error = error_of(object_event(
        json!({"tem:description": {"en": "no Vietnamese"}}),
    ));
    assert!(matches!(error, EpcisError::Missing { .. }), "{error}");
    let error = error_of(object_event(json!({"tem:description": 7})));
    assert!(matches!(error, EpcisError::WrongType { .. }), "{error}");
}
