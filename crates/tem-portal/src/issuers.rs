//! The issuers the trust list speaks for, registered by the operator. An issuer this portal
//! signs for is registered with its private key; one that signs on its own resolver (an
//! enterprise running its own portal) with its public key and that resolver's base URL, so
//! widgets ask that resolver, and no other host, for the stamps of its domains.

use tem_core::trust::{Jwk, JwkSet, is_gcp_entry, is_resolver_url};

use crate::db::{self, Conn, DbError, Sql, SqlExt};
use crate::error::PortalError;
use crate::signing;

/// An issuer to register.
#[derive(Debug, Clone, Default)]
pub struct NewIssuer {
    pub id: String,
    pub name_vi: String,
    pub name_en: Option<String>,
    /// Hosts its stamps point at (`tem.example.vn`, `*.example.vn`).
    pub domains: Vec<String>,
    /// GS1 company prefixes whose stamps it signs (AI 8030).
    pub gcp: Vec<String>,
    /// Its resolver's base URL; None when this portal serves its stamps.
    pub resolver: Option<String>,
    /// Its keys: all private (this portal signs) or all public (it signs elsewhere).
    pub keys: Vec<Jwk>,
}

/// Registers `issuer`; its keys are published in the trust list from the portal's next start.
pub fn add(db: &mut Conn, issuer: &NewIssuer) -> Result<(), PortalError> {
    let usage = |reason: String| Err(PortalError::Usage { reason });
    db::check_id("issuer", &issuer.id)?;
    if issuer.name_vi.trim().is_empty() {
        return usage("the issuer needs a --name".into());
    }
    if let Some(bad) = issuer.domains.iter().find(|d| !is_domain_entry(d)) {
        return usage(format!(
            "--domain {bad:?} is not a host name (tem.example.vn) or a wildcard (*.example.vn)"
        ));
    }
    if let Some(bad) = issuer.gcp.iter().find(|prefix| !is_gcp_entry(prefix)) {
        return usage(format!(
            "--gcp {bad:?} is not a GS1 company prefix (3 to 12 digits)"
        ));
    }
    if issuer.keys.is_empty() {
        return usage("the issuer needs a --key (a JWK or a JWK Set)".into());
    }
    for key in &issuer.keys {
        if key.kid.as_deref().is_none_or(str::is_empty) || !key.has_well_formed_material() {
            return usage(format!(
                "key {:?} is not a well-formed key with a kid",
                key.kid.as_deref().unwrap_or("")
            ));
        }
    }
    let private = issuer.keys.iter().filter(|key| key.d.is_some()).count();
    match (&issuer.resolver, private) {
        (Some(url), _) if !is_resolver_url(url) => {
            return usage(format!(
                "--resolver {url:?} is not a plain http(s) URL (no user, query or fragment)"
            ));
        }
        (Some(_), 0) => {}
        (Some(_), _) => {
            return usage(
                "an issuer with its own resolver signs there: give its public keys only, \
                 its private keys stay with it"
                    .into(),
            );
        }
        (None, count) if count == issuer.keys.len() => {}
        (None, _) => {
            return usage(
                "without --resolver this portal signs for the issuer and needs its private \
                 keys; an issuer that signs elsewhere needs its --resolver"
                    .into(),
            );
        }
    }
    let database = |source| PortalError::Query {
        what: "registering the issuer",
        source,
    };
    let mut tx = db.transaction().map_err(database)?;
    let inserted = tx
        .execute(
            "INSERT INTO issuers (id, name_vi, name_en, domains, gcp, resolver)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (id) DO NOTHING",
            &[
                &issuer.id,
                &issuer.name_vi.trim(),
                &issuer.name_en.as_deref().map(str::trim),
                &issuer.domains.join("\n").to_ascii_lowercase(),
                &issuer.gcp.join("\n"),
                &issuer
                    .resolver
                    .as_deref()
                    .map(|url| url.trim_end_matches('/')),
            ],
        )
        .map_err(database)?;
    if inserted == 0 {
        return usage(format!("issuer {:?} is registered already", issuer.id));
    }
    for key in &issuer.keys {
        let kid = key.kid.as_deref().unwrap_or_default();
        let taken: bool = tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM signing_keys WHERE kid = ?1)",
                &[&kid],
                |r| r.get(0),
            )
            .map_err(database)?;
        if taken {
            return usage(format!("a key with kid {kid:?} is registered already"));
        }
        signing::store_key(&mut tx, &issuer.id, key, key.nbf, key.exp, true).map_err(database)?;
    }
    tx.commit().map_err(database)
}

/// The public halves of `id`'s published keys, with their periods: what its operator hands
/// the national portal to register it with its own resolver.
pub fn public_keys(db: &mut dyn Sql, id: &str) -> Result<JwkSet, PortalError> {
    let rows = db
        .query_map(
            "SELECT jwk, nbf, exp FROM signing_keys WHERE issuer_id = ?1 AND published = 1
             ORDER BY nbf NULLS FIRST, kid",
            &[&id],
            |r| {
                Ok((
                    r.get::<String>(0)?,
                    r.get::<Option<i64>>(1)?,
                    r.get::<Option<i64>>(2)?,
                ))
            },
        )
        .map_err(|source| PortalError::Query {
            what: "the issuer's keys",
            source,
        })?;
    let mut keys = Vec::new();
    for (json, nbf, exp) in rows {
        let key: Jwk = serde_json::from_str(&json).map_err(|e| PortalError::Key {
            path: "issuers".into(),
            reason: e.to_string(),
        })?;
        keys.push(Jwk {
            nbf,
            exp,
            ..key.public()
        });
    }
    if keys.is_empty() {
        return Err(PortalError::Usage {
            reason: format!("issuer {id:?} has no published key here"),
        });
    }
    Ok(JwkSet {
        keys,
        iat: None,
        exp: None,
    })
}

/// The origins (`https://host:port`) of the resolvers other issuers run: the only hosts
/// besides this portal that the widget's pages may ask for records and images.
pub fn resolver_origins(db: &mut dyn Sql) -> Result<Vec<String>, DbError> {
    let resolvers = db.query_map(
        "SELECT DISTINCT resolver FROM issuers WHERE resolver IS NOT NULL ORDER BY resolver",
        &[],
        |r| r.get::<String>(0),
    )?;
    let mut origins = Vec::new();
    for resolver in resolvers {
        // A row written past `add`'s checks is left out rather than put into a policy.
        if !is_resolver_url(&resolver) {
            tracing::warn!(%resolver, "skipped: not a plain http(s) URL");
            continue;
        }
        let origin = origin_of(&resolver).to_string();
        if !origins.contains(&origin) {
            origins.push(origin);
        }
    }
    Ok(origins)
}

/// `scheme://authority` of a URL `is_resolver_url` accepted.
fn origin_of(url: &str) -> &str {
    let scheme_end = url.find("://").map_or(0, |at| at + 3);
    let path = url[scheme_end..]
        .find('/')
        .map_or(url.len(), |at| scheme_end + at);
    &url[..path]
}

/// A host name, or `*.` and the parent of the subdomains meant.
fn is_domain_entry(entry: &str) -> bool {
    let probe = match entry.strip_prefix("*.") {
        Some(parent) => format!("sub.{parent}"),
        None => entry.to_string(),
    };
    Jwk {
        domains: vec![entry.to_string()],
        ..Jwk::default()
    }
    .allows_domain(&probe)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resolvers_origin_is_its_scheme_host_and_port() {
        assert_eq!(
            origin_of("https://tra.hoptac.vn/gs1"),
            "https://tra.hoptac.vn"
        );
        assert_eq!(origin_of("http://127.0.0.2:8081"), "http://127.0.0.2:8081");
    }

    #[test]
    fn domain_entries_are_hosts_or_wildcards_of_them() {
        for good in ["tem.example.vn", "*.hoptac.vn", "127.0.0.2"] {
            assert!(is_domain_entry(good), "{good}");
        }
        for bad in [
            "",
            "*",
            "*.",
            "a..vn",
            "tem.example.vn:8080",
            "user@tem.vn",
            "tëm.vn",
        ] {
            assert!(!is_domain_entry(bad), "{bad}");
        }
    }
}
