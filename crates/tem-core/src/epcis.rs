//! EPCIS 2.0 JSON/JSON-LD import into the timeline model.
