//! Who signs what: issuers' keys in the database, records signed when their data comes in, the
//! trust list signed by the root key, and stamp signatures (AI 8030).
//!
//! A record is signed once, when its data is written, and served as stored: what a shopper's
//! widget verifies is what the issuer signed, not what the database holds at the moment of the
//! request. The private keys sit in the database in this reference portal; a deployment that
//! holds them elsewhere (an HSM, a KMS) replaces [`issuer_key`].

use std::path::Path;

use tem_core::record::LocalText;
use tem_core::trust::{Jwk, JwkSet, RECORD_TYP, TRUST_LIST_TYP, jws};

use crate::db::{self, DbError, Key, Sql, SqlExt};
use crate::error::PortalError;

/// How long a trust list this portal signs is good for. Widgets keep the last good list while
/// offline; past this they stop trusting it and say so.
pub const TRUST_LIST_LIFETIME_SECONDS: i64 = 30 * 24 * 3600;

/// Reads the root key (a private JWK) that signs the trust list.
pub fn load_root(path: &Path) -> Result<Jwk, PortalError> {
    let text = std::fs::read_to_string(path).map_err(|source| PortalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let key: Jwk = serde_json::from_str(&text).map_err(|e| PortalError::Key {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    if key.d.is_none() {
        return Err(PortalError::Key {
            path: path.to_path_buf(),
            reason: "it holds only a public key; the trust list needs the private one".into(),
        });
    }
    Ok(key)
}

/// A new Ed25519 key (private JWK) from the operating system's randomness.
pub fn generate_key(kid: &str) -> Result<Jwk, PortalError> {
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| PortalError::Random {
        reason: e.to_string(),
    })?;
    Ok(Jwk::ed25519_from_seed(seed, kid))
}

/// Stores `key` for `issuer`, valid from `nbf` to `exp` (unix seconds): private when this
/// portal signs with it, public when the issuer signs on its own resolver. An unpublished key
/// is left out of the trust list.
pub fn store_key(
    db: &mut dyn Sql,
    issuer: &str,
    key: &Jwk,
    nbf: Option<i64>,
    exp: Option<i64>,
    published: bool,
) -> Result<(), DbError> {
    let kid = key.kid.clone().unwrap_or_default();
    let json = serde_json::to_string(key).map_err(|e| DbError::Invalid {
        detail: format!("key {kid:?} cannot be stored: {e}"),
    })?;
    db.execute(
        "INSERT INTO signing_keys (kid, issuer_id, jwk, nbf, exp, published)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        &[&kid, &issuer, &json, &nbf, &exp, &published],
    )?;
    Ok(())
}

fn parse_key(json: &str) -> Result<Jwk, DbError> {
    serde_json::from_str(json).map_err(|e| DbError::Invalid {
        detail: format!("a stored signing key is not a JWK: {e}"),
    })
}

/// The key `issuer` signs with at `now`: of its published keys valid then, the newest that
/// this portal holds the private part of (an issuer that signs elsewhere has only public ones
/// here).
pub fn issuer_key(db: &mut dyn Sql, issuer: &str, now: i64) -> Result<Option<Jwk>, DbError> {
    let stored: Vec<String> = db.query_map(
        "SELECT jwk FROM signing_keys
         WHERE issuer_id = ?1 AND published = 1
           AND (nbf IS NULL OR nbf <= ?2) AND (exp IS NULL OR exp > ?2)
         ORDER BY nbf DESC NULLS LAST, kid",
        &[&issuer, &now],
        |r| r.get(0),
    )?;
    first_private(&stored)
}

/// A stored key by its id, whatever its validity, if this portal holds its private part: for
/// re-signing with a given key.
pub fn key_by_kid(db: &mut dyn Sql, kid: &str) -> Result<Option<Jwk>, DbError> {
    let stored: Vec<String> = db.query_map(
        "SELECT jwk FROM signing_keys WHERE kid = ?1",
        &[&kid],
        |r| r.get(0),
    )?;
    first_private(&stored)
}

fn first_private(stored: &[String]) -> Result<Option<Jwk>, DbError> {
    for json in stored {
        let key = parse_key(json)?;
        if key.d.is_some() {
            return Ok(Some(key));
        }
    }
    Ok(None)
}

/// The key that signs stamps (AI 8030) of product `gtin` at `now`: its issuer's current one.
pub fn stamp_key(db: &mut dyn Sql, gtin: &str, now: i64) -> Result<Option<Jwk>, DbError> {
    match product_issuer(db, gtin)? {
        Some(issuer) => issuer_key(db, &issuer, now),
        None => Ok(None),
    }
}

fn product_issuer(db: &mut dyn Sql, gtin: &str) -> Result<Option<String>, DbError> {
    db.query_opt(
        "SELECT issuer_id FROM products WHERE gtin = ?1",
        &[&gtin],
        |r| r.get(0),
    )
    .map(Option::flatten)
}

/// Signs the record for `key` as the database holds it now with `signing_key` (the product's
/// issuer's current key when None) and stores it; false when there is no such record or no
/// key to sign it with.
pub fn sign_record(
    db: &mut dyn Sql,
    key: &Key,
    signing_key: Option<&Jwk>,
    now: i64,
) -> Result<bool, DbError> {
    let issued_at = tem_core::time::unix_to_rfc3339(now);
    let Some(record) = db::record(db, key, &issued_at)? else {
        return Ok(false);
    };
    let current;
    let signing_key = match signing_key {
        Some(given) => given,
        None => {
            let issuer = product_issuer(db, &key.gtin)?.unwrap_or_default();
            match issuer_key(db, &issuer, now)? {
                Some(found) => {
                    current = found;
                    &current
                }
                None => return Ok(false),
            }
        }
    };
    let cannot_sign = |reason: String| DbError::Invalid {
        detail: format!("record {} cannot be signed: {reason}", record.id),
    };
    let payload = serde_json::to_vec(&record).map_err(|e| cannot_sign(e.to_string()))?;
    let signed = jws::sign(&payload, signing_key, Some(RECORD_TYP))
        .map_err(|e| cannot_sign(e.to_string()))?;
    store_signed(
        db,
        &record.id,
        &signed,
        signing_key.kid.as_deref().unwrap_or(""),
        &issued_at,
    )?;
    Ok(true)
}

/// Stores a signed record as served from now on.
pub fn store_signed(
    db: &mut dyn Sql,
    id: &str,
    jws: &str,
    kid: &str,
    signed_at: &str,
) -> Result<(), DbError> {
    db.execute(
        "INSERT INTO signed_records (id, jws, kid, signed_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (id) DO UPDATE SET jws = excluded.jws, kid = excluded.kid,
                                        signed_at = excluded.signed_at",
        &[&id, &jws, &kid, &signed_at],
    )?;
    Ok(())
}

/// Signs every lot's and unit's record that has no signed copy yet; returns how many.
pub fn sign_unsigned(db: &mut dyn Sql, now: i64) -> Result<usize, DbError> {
    let mut signed = 0;
    for (key, _) in db::stamp_keys(db)? {
        let Some(id) = db::record_id(db, &key)? else {
            continue;
        };
        if signed_record(db, &id)?.is_none() && sign_record(db, &key, None, now)? {
            signed += 1;
        }
    }
    Ok(signed)
}

/// The stored compact JWS of the record `key` names, as the resolver and the API serve it.
pub fn signed_record_of(db: &mut dyn Sql, key: &Key) -> Result<Option<String>, DbError> {
    match db::record_id(db, key)? {
        Some(id) => signed_record(db, &id),
        None => Ok(None),
    }
}

/// The stored compact JWS of record `id`.
pub fn signed_record(db: &mut dyn Sql, id: &str) -> Result<Option<String>, DbError> {
    db.query_opt(
        "SELECT jws FROM signed_records WHERE id = ?1",
        &[&id],
        |r| r.get(0),
    )
}

/// The trust list: every published key's public half with its issuer's name, domains, company
/// prefixes and resolver, signed by `root`. An issuer this portal signs for is served by this
/// portal's resolver, so `portal_host` (the host its stamps point at) is one of its domains;
/// one registered with its own resolver keeps only the domains it was registered with.
pub fn trust_list(
    db: &mut dyn Sql,
    root: &Jwk,
    base_url: &str,
    now: i64,
) -> Result<String, PortalError> {
    let database = |source| PortalError::Query {
        what: "the trust list",
        source,
    };
    let portal_host = host_of(base_url);
    let rows = db
        .query_map(
            "SELECT k.jwk, k.nbf, k.exp, i.name_vi, i.name_en, i.domains, i.gcp, i.resolver
             FROM signing_keys k JOIN issuers i ON i.id = k.issuer_id
             WHERE k.published = 1 ORDER BY i.id, k.nbf NULLS FIRST, k.kid",
            &[],
            |r| {
                Ok((
                    r.get::<String>(0)?,
                    r.get::<Option<i64>>(1)?,
                    r.get::<Option<i64>>(2)?,
                    r.get::<String>(3)?,
                    r.get::<Option<String>>(4)?,
                    r.get::<String>(5)?,
                    r.get::<String>(6)?,
                    r.get::<Option<String>>(7)?,
                ))
            },
        )
        .map_err(database)?;
    let mut keys = Vec::new();
    for (json, nbf, exp, name_vi, name_en, domains, gcp, resolver) in rows {
        let mut key = parse_key(&json).map_err(database)?.public();
        key.iss = Some(LocalText {
            vi: name_vi,
            en: name_en,
        });
        key.nbf = nbf;
        key.exp = exp;
        key.domains = domains.lines().map(str::to_string).collect();
        if resolver.is_none() && !key.domains.contains(&portal_host) {
            key.domains.push(portal_host.clone());
        }
        key.gcp = gcp.lines().map(str::to_string).collect();
        key.resolver = Some(resolver.unwrap_or_else(|| base_url.to_string()));
        keys.push(key);
    }
    let set = JwkSet {
        keys,
        iat: Some(now),
        exp: Some(now + TRUST_LIST_LIFETIME_SECONDS),
    };
    let payload = serde_json::to_vec(&set).map_err(|e| PortalError::Key {
        path: "trust list".into(),
        reason: e.to_string(),
    })?;
    jws::sign(&payload, root, Some(TRUST_LIST_TYP)).map_err(|e| PortalError::Key {
        path: "root key".into(),
        reason: e.to_string(),
    })
}

/// The host of an `http(s)://host[:port]/…` URL, lowercase, without the port.
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = match authority.strip_prefix('[') {
        // As tem-core writes an IPv6 host: in its brackets.
        Some(v6) => {
            return format!(
                "[{}]",
                v6.split(']').next().unwrap_or(v6).to_ascii_lowercase()
            );
        }
        None => authority
            .rsplit_once(':')
            .map_or(authority, |(host, _)| host),
    };
    host.to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_portal_host_is_taken_without_scheme_port_or_path() {
        assert_eq!(host_of("http://127.0.0.1:8080"), "127.0.0.1");
        assert_eq!(host_of("https://Tem.Example.VN/base"), "tem.example.vn");
        assert_eq!(host_of("http://[::1]:8080"), "[::1]");
    }
}
