//! The official EPCIS 2.0 examples (../shared/corpus/epcis, 47 documents) all import, keep
//! every event, and read as the standard means them.

use serde_json::Value;
use tem_core::Stage;
use tem_core::epcis::{Action, EventStatus, Timeline, import};
use tem_core::time::rfc3339_to_unix;

mod epcis_examples;

use epcis_examples::examples;

fn load(relative: &str) -> Option<Timeline> {
    let path = epcis_examples::dir()?.join(relative);
    let text = std::fs::read_to_string(&path).expect("example present");
    Some(import(&text).unwrap_or_else(|e| panic!("{relative}: {e}")))
}

/// The events as the JSON itself holds them, counted without tem's own reader.
fn raw_events(document: &Value) -> &[Value] {
    let events = match document["type"].as_str() {
        Some("EPCISDocument") => &document["epcisBody"]["eventList"],
        Some("EPCISQueryDocument") => {
            &document["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
        }
        _ => return std::slice::from_ref(document),
    };
    events.as_array().expect("an event list")
}

#[test]
fn all_47_official_examples_import_with_every_event_in_time_order() {
    let Some(dir) = epcis_examples::dir() else {
        return;
    };
    let files = examples(&dir);
    assert_eq!(files.len(), 47, "the corpus README promises 47 examples");
    let mut total = 0;
    for path in &files {
        let name = epcis_examples::name(&dir, path);
        let text = std::fs::read_to_string(path).expect("readable example");
        let timeline = import(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let raw: Value = serde_json::from_str(&text).expect("the example is JSON");
        let raw_events = raw_events(&raw);
        assert_eq!(timeline.events.len(), raw_events.len(), "{name}");
        total += raw_events.len();

        let instants: Vec<i64> = timeline
            .events
            .iter()
            .map(|e| rfc3339_to_unix(&e.event.time).expect("RFC 3339 time"))
            .collect();
        assert!(instants.is_sorted(), "{name}: {instants:?}");

        for imported in &timeline.events {
            let event = &imported.event;
            let original = raw_events
                .iter()
                .find(|r| {
                    r["eventID"].as_str().is_none_or(|id| id == event.id)
                        && rfc3339_to_unix(r["eventTime"].as_str().unwrap_or_default())
                            == rfc3339_to_unix(&event.time)
                })
                .unwrap_or_else(|| panic!("{name}: {} has no original", event.id));
            let offset = original["eventTimeZoneOffset"].as_str().expect("offset");
            assert!(
                event.time.ends_with(offset),
                "{name}: {} vs {offset}",
                event.time
            );
            assert_eq!(Some(event.event_type.as_str()), original["type"].as_str());
            assert!(!event.summary.vi.is_empty() && event.summary.en.is_some());
            assert_eq!(imported.stage_label.vi, event.stage.label_vi(), "{name}");
        }
    }
    assert_eq!(total, 56, "events across the corpus");
}

#[test]
fn shipping_then_receiving_reads_as_transport_at_the_computed_gln() {
    let Some(timeline) = load("Example_9.6.1-ObjectEvent.jsonld") else {
        return;
    };
    let [shipped, received] = timeline.events.as_slice() else {
        panic!("two events expected");
    };
    assert_eq!(shipped.event.time, "2005-04-03T20:33:31.116000-06:00");
    assert_eq!(shipped.event.stage, Stage::Transport);
    assert_eq!(shipped.event.biz_step.as_deref(), Some("shipping"));
    assert_eq!(shipped.event.disposition.as_deref(), Some("in_transit"));
    assert_eq!(shipped.action, Some(Action::Observe));
    let place = shipped.event.place.as_ref().expect("read point");
    assert_eq!(place.gln.as_deref(), Some("0614141073467"));
    assert_eq!(
        shipped.event.outputs,
        ["(01)10614141073464(21)2017", "(01)10614141073464(21)2018"]
    );
    assert_eq!(
        shipped.event.summary.en.as_deref(),
        Some("Shipped: 2 items at (414)0614141073467(254)1234")
    );
    assert_eq!(received.event.biz_step.as_deref(), Some("receiving"));
    assert_eq!(
        received.read_point.as_ref().and_then(|p| p.gln.as_deref()),
        Some("0012345111112")
    );
}

#[test]
fn digital_link_identifiers_read_the_same_as_urns() {
    let Some(timeline) = load("WithDigitalLinkID/Example_9.6.1-ObjectEventWithDigitalLink.jsonld")
    else {
        return;
    };
    let shipped = &timeline.events[0].event;
    assert_eq!(shipped.stage, Stage::Transport);
    assert!(
        shipped.outputs.iter().all(|o| o.starts_with("(01)")),
        "{:?}",
        shipped.outputs
    );
    assert!(shipped.place.as_ref().is_some_and(|p| p.gln.is_some()));
}

#[test]
fn transformation_consumes_inputs_and_produces_outputs_as_processing() {
    let Some(timeline) = load("Example_9.6.4-TransformationEvent.jsonld") else {
        return;
    };
    let event = &timeline.events[0];
    assert_eq!(event.event.stage, Stage::Processing);
    assert_eq!(event.action, None);
    assert_eq!(event.event.inputs.len(), 5);
    assert_eq!(event.event.outputs.len(), 4);
    assert!(
        event
            .event
            .inputs
            .contains(&"(01)04012345111118(10)4444 × 10 KGM".to_string())
    );
    let ilmd = event.ilmd.as_ref().expect("ilmd");
    // A private namespace's bestBeforeDate means what CBV's does.
    assert_eq!(ilmd.best_before_date.as_deref(), Some("2014-12-10"));
    assert_eq!(ilmd.attributes["example:batch"], "XYZ");
}

#[test]
fn sensor_reports_inherit_their_metadata_time_and_device() {
    let Some(timeline) = load("WithSensorData/SensorDataExample1.jsonld") else {
        return;
    };
    let event = &timeline.events[0];
    assert_eq!(event.event.stage, Stage::Inspection);
    assert_eq!(event.sensors.len(), 12);
    let first = &event.sensors[0];
    assert_eq!(first.kind, "Temperature");
    assert_eq!(first.value, Some(26.0));
    assert_eq!(first.uom.as_deref(), Some("CEL"));
    assert_eq!(first.time.as_deref(), Some("2019-04-02T14:05:00.000+01:00"));
    assert_eq!(first.device.as_deref(), Some("(8004)4000001111"));
}

#[test]
fn an_event_declared_in_error_is_linked_to_the_event_that_corrects_it() {
    let Some(timeline) = load("WithErrorDeclaration/ErrorDeclarationAndCorrectiveEvent.jsonld")
    else {
        return;
    };
    let [wrong, fixed] = timeline.events.as_slice() else {
        panic!("two events expected");
    };
    assert_eq!(wrong.status, EventStatus::Corrected);
    let declaration = wrong.error_declaration.as_ref().expect("declaration");
    assert_eq!(declaration.reason.as_deref(), Some("incorrect_data"));
    assert_eq!(
        declaration.corrective_event_ids,
        std::slice::from_ref(&fixed.event.id)
    );
    assert_eq!(fixed.status, EventStatus::Recorded);
    assert_eq!(fixed.corrects, std::slice::from_ref(&wrong.event.id));
    assert!(
        wrong
            .event
            .summary
            .en
            .as_deref()
            .is_some_and(|s| s.ends_with("(declared in error and corrected)"))
    );
}

#[test]
fn persistent_dispositions_and_certificates_are_kept() {
    let Some(timeline) = load("PersistentDisposition-example.jsonld") else {
        return;
    };
    let inspected = &timeline.events[1];
    let persistent = inspected
        .persistent_disposition
        .as_ref()
        .expect("persistent disposition");
    assert_eq!(persistent.set, ["completeness_verified"]);
    assert_eq!(persistent.unset, ["completeness_inferred"]);

    let Some(full) = load("WithFullCombinationOfFields/object_event_all_possible_fields.jsonld")
    else {
        return;
    };
    let event = &full.events[0];
    assert_eq!(
        event.certifications,
        ["https://accreditation-council.example.org/certificate/ABC12345"]
    );
    let ilmd = event.ilmd.as_ref().expect("ilmd");
    assert_eq!(ilmd.lot.as_deref(), Some("ABC123"));
    assert_eq!(ilmd.country_of_origin.as_deref(), Some("GB"));
    // Receiving: the party taking possession did the step.
    let actor = event.event.actor.as_ref().expect("actor");
    assert_eq!(actor.gln.as_deref(), Some("0614141007776"));
    assert_eq!(event.sources.len(), 3);
    assert_eq!(event.transactions.len(), 2);
}

#[test]
fn query_documents_are_read_from_their_results_body() {
    let Some(timeline) = load("EPCISQueryDocument.jsonld") else {
        return;
    };
    assert_eq!(timeline.events.len(), 2);
    assert_eq!(
        timeline.events[0].event.time,
        "2005-04-03T20:33:31.116000-06:00"
    );
}

#[test]
fn on_receiving_the_receiving_party_is_the_actor() {
    let Some(timeline) = load("Example_9.6.2-ObjectEvent.jsonld") else {
        return;
    };
    let event = &timeline.events[0].event;
    assert_eq!(event.biz_step.as_deref(), Some("receiving"));
    let actor = event.actor.as_ref().expect("actor");
    assert_eq!(actor.gln.as_deref(), Some("0614141000012"));
}
