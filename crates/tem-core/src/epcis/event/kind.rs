//! The event types, the members the schema lists for each, and the action most of them
//! require.

use crate::epcis::error::shown;
use crate::epcis::fields::{Fields, is_uri};
use crate::epcis::{Action, Warnings};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Object,
    Aggregation,
    Transaction,
    Transformation,
    Association,
    /// A type the schema admits as a URI: an extension event, read for its common fields.
    Extension,
}

/// Members every event may have.
const COMMON_FIELDS: &[&str] = &[
    "@context",
    "type",
    "eventTime",
    "recordTime",
    "eventTimeZoneOffset",
    "eventID",
    "certificationInfo",
    "errorDeclaration",
];

/// Members shared by the "what, where, why" part of all five standard types.
const WHERE_WHY_FIELDS: &[&str] = &[
    "bizStep",
    "disposition",
    "readPoint",
    "bizLocation",
    "bizTransactionList",
    "sourceList",
    "destinationList",
    "sensorElementList",
];

impl Kind {
    pub(super) fn parse(name: &str) -> Option<Kind> {
        Some(match name {
            "ObjectEvent" => Kind::Object,
            "AggregationEvent" => Kind::Aggregation,
            "TransactionEvent" => Kind::Transaction,
            "TransformationEvent" => Kind::Transformation,
            "AssociationEvent" => Kind::Association,
            _ if is_uri(name) => Kind::Extension,
            _ => return None,
        })
    }

    /// Members the schema lists for this type besides the common and where/why ones.
    fn own_fields(self) -> &'static [&'static str] {
        match self {
            Kind::Object => &[
                "action",
                "epcList",
                "quantityList",
                "persistentDisposition",
                "ilmd",
            ],
            Kind::Aggregation | Kind::Association => {
                &["action", "parentID", "childEPCs", "childQuantityList"]
            }
            Kind::Transaction => &["action", "parentID", "epcList", "quantityList"],
            Kind::Transformation => &[
                "inputEPCList",
                "inputQuantityList",
                "outputEPCList",
                "outputQuantityList",
                "transformationID",
                "persistentDisposition",
                "ilmd",
            ],
            Kind::Extension => &[],
        }
    }

    pub(super) fn requires_action(self) -> bool {
        matches!(
            self,
            Kind::Object | Kind::Aggregation | Kind::Transaction | Kind::Association
        )
    }
}

/// Members outside the schema for this type are most often misspellings, whose content would
/// silently vanish; extension members are URIs or compact IRIs (`example:field`).
pub(super) fn warn_unknown_fields(f: &Fields<'_>, kind: Kind, warnings: &mut Warnings) {
    if kind == Kind::Extension {
        warnings.push(format!(
            "{}: an extension event type, shown as another step",
            f.at()
        ));
        return;
    }
    for key in f.keys() {
        let known = COMMON_FIELDS.contains(&key.as_str())
            || WHERE_WHY_FIELDS.contains(&key.as_str())
            || kind.own_fields().contains(&key.as_str());
        if !known && !key.contains(':') {
            warnings.push(format!(
                "{}: unknown field '{}' ignored",
                f.at(),
                shown(key)
            ));
        }
    }
}

pub(super) fn parse_action(text: &str) -> Option<Action> {
    match text {
        "ADD" => Some(Action::Add),
        "OBSERVE" => Some(Action::Observe),
        "DELETE" => Some(Action::Delete),
        _ => None,
    }
}
