//! Where: read point, business location, sources and destinations, named from the
//! document's master data.

use crate::epcis::Endpoint;
use crate::epcis::error::EpcisError;
use crate::epcis::fields::Fields;
use crate::epcis::identifier;
use crate::epcis::master::MasterData;
use crate::record::Place;

/// A location or party: named by the document's master data when it has an entry, by its
/// readable identifier otherwise.
fn named(id: &str, master: &MasterData) -> (String, Option<String>) {
    let entry = master.get(id);
    let name = entry
        .and_then(|e| e.name.clone())
        .unwrap_or_else(|| identifier::readable(id));
    (name, entry.and_then(|e| e.address.clone()))
}

pub(super) fn location(
    f: &Fields<'_>,
    name: &str,
    master: &MasterData,
) -> Result<Option<Place>, EpcisError> {
    let Some(location) = f.object(name)? else {
        return Ok(None);
    };
    let id = location.required_uri("id")?;
    let (name, address) = named(id, master);
    Ok(Some(Place {
        gln: identifier::gln(id),
        name,
        address,
    }))
}

pub(super) fn endpoints(
    f: &Fields<'_>,
    list: &str,
    // The closed member list: `type` and the identifier's member name.
    members: &'static [&'static str; 2],
    master: &MasterData,
) -> Result<Vec<Endpoint>, EpcisError> {
    f.objects(list)?
        .iter()
        .map(|item| {
            item.only(members)?;
            let member = members[1];
            let kind = item.required_str("type")?;
            let id = item.required_uri(member)?;
            let (name, address) = named(id, master);
            Ok(Endpoint {
                kind: kind.to_string(),
                id: identifier::readable(id),
                name,
                address,
                gln: identifier::gln(id),
            })
        })
        .collect()
}
