//! The enterprises that may capture events: each known by the SHA-256 of a random token it
//! was given once, and limited to its GS1 company prefixes.

use sha2::{Digest, Sha256};

use crate::db::{DbError, Sql, SqlExt};
use crate::error::PortalError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enterprise {
    pub id: String,
    pub name: String,
    /// GS1 company prefixes (6–12 digits) whose GTINs, GLNs and SSCCs are this enterprise's.
    pub gcp: Vec<String>,
}

impl Enterprise {
    /// Whether a GS1 key is under one of this enterprise's company prefixes: a GLN starts
    /// with it, a GTIN-14 or SSCC after its first digit (indicator or extension).
    pub fn owns(&self, key: &str) -> bool {
        let body = match key.len() {
            14 | 18 => &key[1..],
            _ => key,
        };
        self.gcp
            .iter()
            .any(|prefix| body.starts_with(prefix.as_str()))
    }
}

/// The token's hash as stored: a database that leaks gives no one a token.
fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Registers an enterprise and answers its new token, which is shown this once.
pub fn add(
    db: &mut dyn Sql,
    id: &str,
    name: &str,
    gcp: &[String],
    now: &str,
) -> Result<String, PortalError> {
    let invalid = |reason: String| PortalError::Usage { reason };
    crate::db::check_id("enterprise", id)?;
    if name.trim().is_empty() {
        return Err(invalid("the enterprise needs a --name".into()));
    }
    if gcp.is_empty() {
        return Err(invalid(
            "the enterprise needs at least one --gcp (its GS1 company prefix)".into(),
        ));
    }
    if let Some(bad) = gcp
        .iter()
        .find(|p| !(6..=12).contains(&p.len()) || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(invalid(format!(
            "--gcp {bad:?} is not a GS1 company prefix (6 to 12 digits)"
        )));
    }
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| PortalError::Random {
        reason: e.to_string(),
    })?;
    let token = format!("tem_{}", tem_core::base64url::encode(&secret));
    let inserted = db.execute(
        "INSERT INTO enterprises (id, name, gcp, token_sha256, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (id) DO NOTHING",
        &[&id, &name.trim(), &gcp.join(" "), &token_hash(&token), &now],
    );
    match inserted {
        Ok(1) => Ok(token),
        Ok(_) => Err(invalid(format!(
            "an enterprise {id:?} is registered already; its token cannot be shown again"
        ))),
        Err(source) => Err(PortalError::Query {
            what: "registering the enterprise",
            source,
        }),
    }
}

/// The enterprise a bearer token belongs to, if any.
pub fn by_token(db: &mut dyn Sql, token: &str) -> Result<Option<Enterprise>, DbError> {
    find(db, "token_sha256", &token_hash(token))
}

pub fn by_id(db: &mut dyn Sql, id: &str) -> Result<Option<Enterprise>, DbError> {
    find(db, "id", id)
}

fn find(db: &mut dyn Sql, column: &str, value: &str) -> Result<Option<Enterprise>, DbError> {
    db.query_opt(
        &format!("SELECT id, name, gcp FROM enterprises WHERE {column} = ?1"),
        &[&value],
        |r| {
            let gcp: String = r.get(2)?;
            Ok(Enterprise {
                id: r.get(0)?,
                name: r.get(1)?,
                gcp: gcp.split_whitespace().map(Into::into).collect(),
            })
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_hash_of_a_token_is_kept_and_it_finds_its_enterprise() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = crate::db::open_in(&dir);
        let token = add(
            &mut db,
            "phohien",
            "HTX Phố Hiến",
            &["8936012".into()],
            "now",
        )
        .unwrap();
        let stored: String = db
            .query_row("SELECT token_sha256 FROM enterprises", &[], |r| r.get(0))
            .unwrap();
        assert!(!stored.contains(&token) && stored.len() == 64);
        let found = by_token(&mut db, &token).unwrap().unwrap();
        assert_eq!(found.gcp, ["8936012"]);
        assert_eq!(by_token(&mut db, &format!("{token}x")).unwrap(), None);
        assert!(add(&mut db, "phohien", "again", &["8936012".into()], "now").is_err());
        assert!(add(&mut db, "Bad Id", "x", &["8936012".into()], "now").is_err());
        assert!(add(&mut db, "x", "x", &["89360".into()], "now").is_err());
    }

    #[test]
    fn ownership_reads_the_prefix_past_an_indicator_or_extension_digit() {
        let enterprise = Enterprise {
            id: "e".into(),
            name: "E".into(),
            gcp: vec!["893601234".into()],
        };
        assert!(enterprise.owns("08936012345674"));
        assert!(enterprise.owns("8936012340001"));
        assert!(enterprise.owns("089360123400000011"));
        assert!(!enterprise.owns("08936009000014"));
        assert!(!enterprise.owns("8936009000010"));
    }
}
