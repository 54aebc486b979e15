//! Links: GS1 Digital Link URIs on any domain and path prefix, and the Vietnamese platforms'
//! own URLs. Whatever the link, its real host is worked out and checked before anything else.

use super::{
    Element, Payload, PayloadError, PayloadKind, Platform, Warning, canonical, percent_decode,
};
use super::{compressed, host};
use crate::gs1;

/// A link's parts once its real host is known.
struct Link<'a> {
    host: String,
    path: &'a str,
    query: &'a str,
    warnings: Vec<Warning>,
    imitates: Option<&'static str>,
}

/// The payload a link carries; None when `text` is not a link at all.
pub(super) fn parse_url(text: &str) -> Result<Option<Payload>, PayloadError> {
    let Some(link) = split(text)? else {
        return Ok(None);
    };
    let Link {
        host,
        path,
        query,
        mut warnings,
        imitates,
    } = link;
    let raw = text.to_string();
    if let Some(platform) = Platform::from_host(&host) {
        let code = platform
            .code(path, query)
            .ok_or_else(|| PayloadError::NotTraceabilityCode { raw: raw.clone() })?;
        // A platform's path is its own business; GS1 keys are shown only when it is a valid
        // Digital Link path, or when the platform's code is itself a valid GTIN (iCheck's
        // product pages are keyed by the barcode number).
        let mut dl_warnings = Vec::new();
        let elements = match elements(path, query, &mut dl_warnings) {
            Ok(Some(elements)) => {
                warnings.append(&mut dl_warnings);
                elements
            }
            _ => super::gtin_element(&code).into_iter().collect(),
        };
        let kind = PayloadKind::PlatformUrl { platform, code };
        return Ok(Some(Payload {
            kind,
            elements,
            host: Some(host),
            warnings,
            raw,
        }));
    }
    match elements(path, query, &mut warnings)? {
        Some(elements) => {
            if let Some(resembles) = imitates {
                warnings.push(Warning::LookalikeHost {
                    host: host.clone(),
                    resembles,
                });
            }
            Ok(Some(Payload {
                kind: PayloadKind::DigitalLink,
                elements,
                host: Some(host),
                warnings,
                raw,
            }))
        }
        None => match (compressed_elements(path, query, &mut warnings)?, imitates) {
            (Some(elements), _) => {
                let kind = PayloadKind::CompressedDigitalLink;
                Ok(Some(Payload {
                    kind,
                    elements,
                    host: Some(host),
                    warnings,
                    raw,
                }))
            }
            (None, Some(resembles)) => Err(PayloadError::LookalikeHost { host, resembles }),
            (None, None) => Err(PayloadError::NotTraceabilityCode { raw }),
        },
    }
}

/// Splits an http(s) link (or a scheme-less `domain.tld/path` typed by hand) into its real
/// host, path and query. None when `text` is no link; an error for links of other schemes.
fn split(text: &str) -> Result<Option<Link<'_>>, PayloadError> {
    let not_traceability = || PayloadError::NotTraceabilityCode {
        raw: text.to_string(),
    };
    let mut warnings = Vec::new();
    let rest = match scheme(text) {
        Some(scheme) => {
            let after = &text[scheme.len() + 1..];
            // As GS1's syntax engine does, a scheme in mixed case (`HtTpS`) is refused: no
            // printer writes one, but a forger testing filters might.
            let secure = matches!(scheme, "https" | "HTTPS");
            if !(secure || matches!(scheme, "http" | "HTTP")) {
                return Err(not_traceability());
            }
            // Browsers read `https:\\host` and `https:/host` as `https://host`.
            let Some(rest) = after
                .strip_prefix("//")
                .or_else(|| after.strip_prefix("\\\\"))
            else {
                return Err(not_traceability());
            };
            if !secure {
                warnings.push(Warning::NotHttps);
            }
            rest
        }
        None if looks_like_bare_domain(text) => {
            warnings.push(Warning::NoScheme);
            text
        }
        None => return Ok(None),
    };
    let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at(end);
    if let Some((user, real)) = authority.rsplit_once('@') {
        let shown = user.split(':').next().unwrap_or(user).to_string();
        return Err(PayloadError::DisguisedHost {
            shown,
            real: crate::text::lowercase(real),
        });
    }
    let (host, host_part) = match authority.strip_prefix('[') {
        Some(literal) => (
            host::ipv6_literal(literal).ok_or_else(not_traceability)?,
            authority,
        ),
        None => {
            let host_part = match authority.rsplit_once(':') {
                Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
                _ => authority,
            };
            (
                host::to_ascii(host_part).ok_or_else(not_traceability)?,
                host_part,
            )
        }
    };
    if host::is_international(&host) {
        warnings.push(Warning::InternationalDomain { host: host.clone() });
    }
    let imitates = host::imitated(&host, host_part);
    let after = after.split('#').next().unwrap_or("");
    let (path, query) = after.split_once('?').unwrap_or((after, ""));
    Ok(Some(Link {
        host,
        path,
        query,
        warnings,
        imitates,
    }))
}

/// The scheme of an absolute URI (`https`, `javascript`, …), if `text` starts with one.
fn scheme(text: &str) -> Option<&str> {
    let colon = text.find(':')?;
    let scheme = &text[..colon];
    let mut bytes = scheme.bytes();
    let first_ok = bytes.next().is_some_and(|b| b.is_ascii_alphabetic());
    (first_ok && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')))
        .then_some(scheme)
}

/// `id.gs1.org/01/…` or `verigoods.vn/…`: a dotted host ending in a letters-only TLD, then a path.
fn looks_like_bare_domain(text: &str) -> bool {
    let Some((host, _)) = text.split_once('/') else {
        return false;
    };
    let tld = host.rsplit('.').next().unwrap_or("");
    host.contains('.')
        && tld.len() >= 2
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'))
}

/// Deprecated path names from the first Digital Link standard, still printed on some stamps.
fn alias(segment: &str) -> Option<&'static str> {
    const ALIASES: &[(&str, &str)] = &[
        ("gtin", "01"),
        ("itip", "8006"),
        ("cpv", "22"),
        ("lot", "10"),
        ("batch", "10"),
        ("ser", "21"),
        ("serial", "21"),
        ("sscc", "00"),
        ("gln", "414"),
        ("party", "417"),
        ("glnx", "254"),
        ("gdti", "253"),
        ("grai", "8003"),
        ("giai", "8004"),
        ("gsrn", "8018"),
        ("gsrnp", "8017"),
        ("gcn", "255"),
        ("cpid", "8010"),
        ("gmn", "8013"),
        ("ginc", "401"),
        ("gsin", "402"),
    ];
    ALIASES
        .iter()
        .find(|(name, _)| segment.eq_ignore_ascii_case(name))
        .map(|(_, ai)| *ai)
}

/// The AI a path segment names, numeric or by alias.
fn path_ai(segment: &str) -> Option<&str> {
    if gs1::rule(segment).is_some() {
        Some(segment)
    } else {
        alias(segment)
    }
}

/// Finds the primary key by walking back from the end of the path in (AI, value) pairs, so
/// that any path prefix before the key is allowed. Returns the index of the key segment.
fn key_start(segments: &[&str], from: usize) -> Result<Option<usize>, PayloadError> {
    // The first problem seen on the way, reported only if a key turns up to its left.
    let mut problem = None;
    let mut index = from;
    loop {
        let segment = segments.get(index).copied().unwrap_or("");
        match path_ai(segment) {
            Some(ai) if gs1::is_primary_key(ai) => {
                return match problem {
                    Some(problem) => Err(problem),
                    None => Ok(Some(index)),
                };
            }
            Some(ai) if !gs1::is_key_qualifier(ai) => {
                problem.get_or_insert_with(|| PayloadError::MisplacedAi {
                    ai: ai.to_string(),
                    in_path: true,
                });
            }
            Some(_) => {}
            None if (2..=4).contains(&segment.len())
                && segment.bytes().all(|b| b.is_ascii_digit()) =>
            {
                problem.get_or_insert_with(|| {
                    PayloadError::Gs1(gs1::Gs1Error::UnknownAi {
                        ai: segment.to_string(),
                    })
                });
            }
            None => return Ok(None),
        }
        if index < 2 {
            return Ok(None);
        }
        index -= 2;
    }
}

/// The GS1 elements of a Digital Link path and query, in canonical order; None when the path
/// holds no primary key.
fn elements(
    path: &str,
    query: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Option<Vec<Element>>, PayloadError> {
    let trimmed = path.trim_end_matches('/');
    if trimmed.len() != path.len() && matches!(elements(trimmed, "", &mut Vec::new()), Ok(Some(_)))
    {
        return Err(PayloadError::TrailingSlash);
    }
    // Empty segments are kept: `//` inside the GS1 part of a path is an error, not a gap.
    let segments: Vec<&str> = path.strip_prefix('/').unwrap_or(path).split('/').collect();
    let start = match segments
        .len()
        .checked_sub(2)
        .map(|from| key_start(&segments, from))
        .transpose()?
        .flatten()
    {
        Some(start) => start,
        None => {
            // A key or qualifier left without its value is a broken link, not some other URL.
            if let Some(last) = segments.len().checked_sub(1)
                && key_start(&segments, last)?.is_some()
            {
                let ai = path_ai(segments[last])
                    .unwrap_or(segments[last])
                    .to_string();
                return Err(PayloadError::MissingValue { ai });
            }
            return Ok(None);
        }
    };
    let mut elements = Vec::new();
    for pair in segments[start..].chunks(2) {
        let ai = if gs1::rule(pair[0]).is_some() {
            pair[0]
        } else {
            let ai = alias(pair[0]).ok_or_else(|| {
                PayloadError::Gs1(gs1::Gs1Error::UnknownAi {
                    ai: pair[0].to_string(),
                })
            })?;
            warnings.push(Warning::DeprecatedAlias {
                alias: pair[0].to_string(),
                ai: ai.to_string(),
            });
            ai
        };
        elements.push(path_element(ai, pair[1], warnings)?);
    }
    check_qualifier_order(&elements)?;
    let in_path = elements.len();
    query_elements(query, &mut elements, in_path, warnings)?;
    canonical(elements).map(Some)
}

fn check_qualifier_order(elements: &[Element]) -> Result<(), PayloadError> {
    let (key, qualifiers) = match elements.split_first() {
        Some((key, qualifiers)) if !qualifiers.is_empty() => (key, qualifiers),
        _ => return Ok(()),
    };
    let sequences = gs1::qualifier_sequences(&key.ai);
    let in_order = sequences.iter().any(|sequence| {
        let mut positions = qualifiers
            .iter()
            .map(|q| sequence.iter().position(|s| *s == q.ai));
        let mut last = None;
        positions.all(|position| match position {
            Some(p) if last.is_none_or(|l| p > l) => {
                last = Some(p);
                true
            }
            _ => false,
        })
    });
    if in_order {
        return Ok(());
    }
    let allowed = if sequences.is_empty() {
        "none (this key takes no qualifiers)".to_string()
    } else {
        sequences
            .iter()
            .map(|s| s.join(", "))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    Err(PayloadError::QualifierOrder {
        key: key.ai.clone(),
        found: qualifiers.iter().map(|q| q.ai.clone()).collect(),
        allowed,
    })
}

/// Data attributes from the query; parameters that are not AIs (linkType, tracking tags) and
/// parameters without a value are left alone. `elements[..in_path]` came from the path: an AI
/// that could have qualified that key there must not hide in the query.
fn query_elements(
    query: &str,
    elements: &mut Vec<Element>,
    in_path: usize,
    warnings: &mut Vec<Warning>,
) -> Result<(), PayloadError> {
    for pair in query.split(['&', ';']) {
        let Some((name, value)) = pair.split_once('=') else {
            continue;
        };
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let Some(rule) = gs1::rule(name) else {
            return Err(gs1::Gs1Error::UnknownAi {
                ai: name.to_string(),
            }
            .into());
        };
        if !rule.dl_attribute || belongs_in_path(name, &elements[..in_path]) {
            return Err(PayloadError::MisplacedAi {
                ai: name.to_string(),
                in_path: false,
            });
        }
        // In a query `+` stands for a space (HTML forms); GS1 values have no spaces, so such a
        // value is refused by its character set rather than silently changed.
        let value = value.replace('+', " ");
        elements.push(path_element(name, &value, warnings)?);
    }
    Ok(())
}

/// True when `ai` could join the key qualifiers already in the path (`path[0]` is the key).
fn belongs_in_path(ai: &str, path: &[Element]) -> bool {
    let Some((key, qualifiers)) = path.split_first() else {
        return false;
    };
    gs1::qualifier_sequences(&key.ai).iter().any(|sequence| {
        sequence.contains(&ai) && qualifiers.iter().all(|q| sequence.contains(&q.ai.as_str()))
    })
}

/// The elements of a compressed Digital Link: the last path segment fully compressed, or a
/// primary key followed by its compressed remainder (`/01/…/{compressed}`); None when the
/// path is no such thing.
fn compressed_elements(
    path: &str,
    query: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Option<Vec<Element>>, PayloadError> {
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let Some((&last, before)) = segments.split_last() else {
        return Ok(None);
    };
    if !compressed::looks_compressed(last) {
        return Ok(None);
    }
    let Some(pairs) = compressed::decode(last) else {
        return Ok(None);
    };
    let mut elements = Vec::new();
    if let [.., key, value] = before
        && let Some(ai) = path_ai(key).filter(|ai| gs1::is_primary_key(ai))
    {
        elements.push(path_element(ai, value, warnings)?);
    }
    for (ai, value) in &pairs {
        elements.push(Element::new(ai, value)?);
    }
    if !elements.iter().any(|e| gs1::is_primary_key(&e.ai)) {
        return Ok(None);
    }
    query_elements(query, &mut elements, 0, warnings)?;
    canonical(elements).map(Some)
}

/// The element a path segment or query value gives: percent-decoded, a short GTIN padded to
/// 14 digits with a warning, checked against the dictionary.
fn path_element(
    ai: &str,
    segment: &str,
    warnings: &mut Vec<Warning>,
) -> Result<Element, PayloadError> {
    let mut value = percent_decode(segment)
        .ok_or_else(|| PayloadError::PercentEncoding { ai: ai.to_string() })?;
    if ai == "01" && matches!(value.len(), 8 | 12 | 13) && value.bytes().all(|b| b.is_ascii_digit())
    {
        warnings.push(Warning::PaddedGtin {
            given: value.clone(),
        });
        value = format!("{value:0>14}");
    }
    Element::new(ai, &value)
}
