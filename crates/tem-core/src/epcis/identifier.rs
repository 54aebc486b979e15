//! EPCIS identifiers made readable: GS1 keys written as EPC URNs
//! (`urn:epc:id:sgtin:0614141.107346.2017`) or Digital Links (`https://id.gs1.org/01/…`)
//! become GS1 element strings in human-readable form (`(01)00614141073467(21)2017`), which a
//! shopper can compare with the text under a barcode and tem can parse again. Anything else
//! (UUIDs, `geo:` URIs, private URIs) is kept as given.

use crate::gs1;
use crate::payload::{self, PayloadKind};

/// The GS1 AIs and values an identifier stands for; None when it is not a GS1 key.
pub(crate) fn gs1_elements(uri: &str) -> Option<Vec<(String, String)>> {
    if let Some(urn) = uri.strip_prefix("urn:epc:") {
        return epc_urn(urn);
    }
    if !(uri.starts_with("https://") || uri.starts_with("http://")) {
        return None;
    }
    let parsed = payload::parse(uri).ok()?;
    if !matches!(
        parsed.kind,
        PayloadKind::DigitalLink | PayloadKind::CompressedDigitalLink
    ) || parsed.primary_key().is_none()
    {
        return None;
    }
    Some(
        parsed
            .elements
            .into_iter()
            .map(|element| (element.ai, element.value))
            .collect(),
    )
}

/// `(01)09520123456788(21)1` for a GS1 key, the identifier itself otherwise.
pub(super) fn readable(uri: &str) -> String {
    match gs1_elements(uri) {
        Some(elements) => elements
            .iter()
            .map(|(ai, value)| format!("({ai}){value}"))
            .collect(),
        None => uri.to_string(),
    }
}

/// The 13-digit GLN of a location (SGLN, AI 414) or party (PGLN, AI 417) identifier.
pub(super) fn gln(uri: &str) -> Option<String> {
    gs1_elements(uri)?
        .into_iter()
        .find(|(ai, _)| ai == "414" || ai == "417")
        .map(|(_, value)| value)
}

/// Pure-identity EPC URNs (TDS 2.x §6), class-level LGTINs and whole-GTIN SGTIN patterns,
/// given without their `urn:epc:` prefix.
fn epc_urn(urn: &str) -> Option<Vec<(String, String)>> {
    let (form, rest) = urn.split_once(':')?;
    let (scheme, body) = rest.split_once(':')?;
    let parts: Vec<&str> = body.split('.').collect();
    let pairs: Vec<(&str, String)> = match (form, scheme, parts.as_slice()) {
        ("id", "sgtin", [prefix, item, serial]) => {
            vec![("01", gtin(prefix, item)?), ("21", unescape(serial)?)]
        }
        ("idpat", "sgtin", [prefix, item, "*"]) => vec![("01", gtin(prefix, item)?)],
        ("class", "lgtin", [prefix, item, lot]) => {
            vec![("01", gtin(prefix, item)?), ("10", unescape(lot)?)]
        }
        ("id", "sscc", [prefix, serial]) => vec![("00", with_leading_digit(prefix, serial, 17)?)],
        ("id", "sgln", [prefix, location, extension]) => {
            let mut pairs = vec![("414", keyed(prefix, location, 12)?)];
            // Extension "0" is TDS's spelling of "no extension".
            if *extension != "0" {
                pairs.push(("254", unescape(extension)?));
            }
            pairs
        }
        ("id", "pgln", [prefix, party]) => vec![("417", keyed(prefix, party, 12)?)],
        ("id", "grai", [prefix, asset, serial]) => vec![(
            "8003",
            format!("0{}{}", keyed(prefix, asset, 12)?, unescape(serial)?),
        )],
        ("id", "giai", [prefix, asset]) => {
            vec![("8004", format!("{}{}", digits(prefix)?, unescape(asset)?))]
        }
        ("id", "gsrn", [prefix, service]) => vec![("8018", keyed(prefix, service, 17)?)],
        ("id", "gdti", [prefix, document, serial]) => vec![(
            "253",
            format!("{}{}", keyed(prefix, document, 12)?, unescape(serial)?),
        )],
        ("id", "sgcn", [prefix, coupon, serial]) => vec![(
            "255",
            format!("{}{}", keyed(prefix, coupon, 12)?, digits(serial)?),
        )],
        _ => return None,
    };
    Some(
        pairs
            .into_iter()
            .map(|(ai, value)| (ai.to_string(), value))
            .collect(),
    )
}

/// The input when it is all ASCII digits.
fn digits(text: &str) -> Option<&str> {
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then_some(text)
}

/// Company prefix + reference + check digit, when the two fill exactly `body` digits.
fn keyed(prefix: &str, reference: &str, body: usize) -> Option<String> {
    let joined = format!("{}{}", digits(prefix)?, reference);
    if reference.bytes().any(|b| !b.is_ascii_digit()) || joined.len() != body {
        return None;
    }
    let check = gs1::gtin_check_digit(&joined)?;
    Some(format!("{joined}{check}"))
}

/// GTIN-14 from an SGTIN's company prefix and indicator + item reference: the indicator digit
/// moves to the front.
fn gtin(prefix: &str, item: &str) -> Option<String> {
    with_leading_digit(prefix, item, 13)
}

/// Keys whose first digit (GTIN indicator, SSCC extension) is carried in front of the
/// reference in the URN but leads the key in the element string.
fn with_leading_digit(prefix: &str, reference: &str, body: usize) -> Option<String> {
    let (lead, rest) = reference.split_at_checked(1)?;
    keyed(&format!("{lead}{}", digits(prefix)?), rest, body).filter(|_| digits(lead).is_some())
}

/// URN `%XX` escapes decoded; None for a broken escape or bytes that are not UTF-8.
fn unescape(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' {
            let hex = text.get(index + 1..index + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            index += 3;
        } else {
            out.push(bytes[index]);
            index += 1;
        }
    }
    String::from_utf8(out).ok().filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sgtin_urn_becomes_gtin_and_serial_with_the_indicator_moved_to_the_front() {
        assert_eq!(
            readable("urn:epc:id:sgtin:0614141.107346.2017"),
            "(01)10614141073464(21)2017"
        );
    }

    #[test]
    fn sgln_urn_gives_the_gln_with_its_computed_check_digit_and_extension() {
        assert_eq!(
            gln("urn:epc:id:sgln:0614141.07346.1234").as_deref(),
            Some("0614141073467")
        );
        assert_eq!(
            readable("urn:epc:id:sgln:0614141.07346.1234"),
            "(414)0614141073467(254)1234"
        );
        assert_eq!(
            readable("urn:epc:id:sgln:0614141.07346.0"),
            "(414)0614141073467"
        );
    }

    #[test]
    fn class_and_pattern_urns_name_the_gtin_and_lot() {
        assert_eq!(
            readable("urn:epc:class:lgtin:4012345.012345.998877"),
            "(01)04012345123456(10)998877"
        );
        assert_eq!(
            readable("urn:epc:idpat:sgtin:4012345.044444.*"),
            "(01)04012345444445"
        );
    }

    #[test]
    fn other_gs1_keys_follow_their_own_layouts() {
        assert_eq!(
            readable("urn:epc:id:sscc:0614141.1234567890"),
            "(00)106141412345678908"
        );
        assert_eq!(
            readable("urn:epc:id:grai:4012345.55555.1"),
            "(8003)040123455555541"
        );
        assert_eq!(readable("urn:epc:id:giai:4000001.111"), "(8004)4000001111");
        assert_eq!(
            gln("urn:epc:id:pgln:4012345.00225").as_deref(),
            Some("4012345002256")
        );
    }

    #[test]
    fn digital_links_become_element_strings() {
        assert_eq!(
            readable("https://id.gs1.org/01/09520123456788/21/12345"),
            "(01)09520123456788(21)12345"
        );
        assert_eq!(
            gln("https://id.gs1.org/414/9520123456788").as_deref(),
            Some("9520123456788")
        );
    }

    #[test]
    fn escaped_serials_are_decoded_and_broken_urns_kept_as_given() {
        assert_eq!(
            readable("urn:epc:id:sgtin:0614141.107346.A%2FB"),
            "(01)10614141073464(21)A/B"
        );
        for kept in [
            "urn:epc:id:sgtin:0614141.107346.A%2",
            "urn:epc:id:sgtin:061414X.107346.1",
            "urn:epc:id:sgtin:0614141.10734.1",
            "urn:uuid:374d95fc-9457-4a51-bd6a-0bba133845a8",
            "geo:42.698334,23.319941",
            "https://example.com/not/a/link",
        ] {
            assert_eq!(readable(kept), kept);
        }
    }
}
