//! The portal's database: where it is, opening and migrating it, and building trace records
//! from its rows. SQLite (`sqlite`) by default; PostgreSQL (`postgres`) for several instances.

mod pool;
mod postgres;
mod sql;
mod sqlite;

pub use pool::Pool;
pub use sql::{Cell, Conn, DbError, Failure, FromCell, Param, Row, Sql, SqlExt, Tx, Value};

use std::fmt;
use std::path::PathBuf;

use tem_core::epcis::stage_of_stored;
use tem_core::record::{LocalText, Lot, Party, Place, Product, Recall, TimelineEvent, TraceRecord};

use crate::error::PortalError;

/// Where the database is: a SQLite file, or a PostgreSQL server's database by URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Sqlite(PathBuf),
    Postgres(String),
}

impl Location {
    /// `--db`'s reading: a `postgres://` or `postgresql://` URL, else a file path.
    pub fn parse(text: &str) -> Location {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            Location::Postgres(text.to_string())
        } else {
            Location::Sqlite(PathBuf::from(text))
        }
    }
}

/// The path, or the URL without its password: this is what logs and error messages show.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Sqlite(path) => write!(f, "{}", path.display()),
            Location::Postgres(url) => f.write_str(&without_password(url)),
        }
    }
}

/// A PostgreSQL URL with its password, in the user part or as a `password=` option, masked.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, tail) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
    let authority = match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{user}:***@{host}"),
            None => authority.to_string(),
        },
        None => authority.to_string(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let options: Vec<&str> = query
                .split('&')
                .map(|option| match option.starts_with("password=") {
                    true => "password=***",
                    false => option,
                })
                .collect();
            format!("{path}?{}", options.join("&"))
        }
        None => tail.to_string(),
    };
    format!("{scheme}://{authority}{tail}")
}

/// Opens the database (a SQLite file is created when there is none), refuses a damaged one or
/// one from a newer schema before writing anything to it, and migrates the rest.
pub fn open(location: &Location) -> Result<Conn, PortalError> {
    match location {
        Location::Sqlite(path) => sqlite::open(path).map(Conn::Sqlite),
        Location::Postgres(url) => postgres::open(url).map(Conn::postgres),
    }
}

/// A new SQLite database in `dir`, for the unit tests.
#[cfg(test)]
pub(crate) fn open_in(dir: &tempfile::TempDir) -> Conn {
    open(&Location::Sqlite(dir.path().join("portal.sqlite"))).unwrap()
}

/// The schema version this build migrates to.
pub const SCHEMA_VERSION: usize = sqlite::MIGRATIONS.len();

/// An operator-given id (an issuer's, an enterprise's): 1–64 characters of a–z, 0–9 and `-`,
/// so it reads the same in a log line, a file name and a URL.
pub fn check_id(what: &str, id: &str) -> Result<(), PortalError> {
    let plain = (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if plain {
        Ok(())
    } else {
        Err(PortalError::Usage {
            reason: format!("{what} id {id:?} should be 1–64 characters of a–z, 0–9 and -"),
        })
    }
}

/// Whether no table holds a row: a new database, or one only migrated.
pub fn is_empty(db: &mut Conn) -> Result<bool, DbError> {
    let catalogue = if db.is_postgres() {
        postgres::TABLES
    } else {
        sqlite::TABLES
    };
    let tables: Vec<String> = db.query_map(catalogue, &[], |r| r.get(0))?;
    for table in tables {
        let quoted = table.replace('"', "\"\"");
        let any: bool = db.query_row(
            &format!("SELECT EXISTS (SELECT 1 FROM \"{quoted}\")"),
            &[],
            |r| r.get(0),
        )?;
        if any {
            return Ok(false);
        }
    }
    Ok(true)
}

/// What a Digital Link or record id asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    pub gtin: String,
    pub lot: Option<String>,
    pub serial: Option<String>,
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GTIN {}", self.gtin)?;
        if let Some(lot) = &self.lot {
            write!(f, ", lot {lot}")?;
        }
        if let Some(serial) = &self.serial {
            write!(f, ", serial {serial}")?;
        }
        Ok(())
    }
}

impl Key {
    /// The stable record id: `{gtin}.{lot}` or `{gtin}.{lot}.{serial}`, with any `.` or `%`
    /// inside the lot or serial written `%2E` and `%25`, so that every id names one record.
    pub fn record_id(gtin: &str, lot: &str, serial: Option<&str>) -> String {
        match serial {
            Some(serial) => format!("{gtin}.{}.{}", escape(lot), escape(serial)),
            None => format!("{gtin}.{}", escape(lot)),
        }
    }

    /// The key a record id names, its GTIN 14 digits; not checked against GS1's rules.
    pub fn from_record_id(id: &str) -> Option<Key> {
        let mut parts = id.split('.');
        let gtin = parts
            .next()
            .filter(|g| g.len() == 14 && g.bytes().all(|b| b.is_ascii_digit()))?;
        let part = |part: Option<&str>| match part {
            Some(part) => unescape(part).map(Some),
            None => Some(None),
        };
        let lot = part(parts.next())?;
        let serial = part(parts.next())?;
        if parts.next().is_some() {
            return None;
        }
        Some(Key {
            gtin: gtin.into(),
            lot,
            serial,
        })
    }
}

fn escape(part: &str) -> String {
    part.replace('%', "%25").replace('.', "%2E")
}

/// The inverse of `escape`; None for a `%` that `escape` never writes.
fn unescape(part: &str) -> Option<String> {
    let mut out = String::with_capacity(part.len());
    let mut rest = part;
    while let Some(at) = rest.find('%') {
        out.push_str(&rest[..at]);
        let escaped = rest.get(at..at + 3)?;
        out.push(match escaped.to_ascii_uppercase().as_str() {
            "%25" => '%',
            "%2E" => '.',
            _ => return None,
        });
        rest = &rest[at + 3..];
    }
    out.push_str(rest);
    Some(out)
}

/// The lot a key asks for, or None when the portal has nothing for it. A key without a lot
/// gets the product's latest lot; a serial must belong to the lot it is given with.
pub fn resolve_lot(db: &mut dyn Sql, key: &Key) -> Result<Option<String>, DbError> {
    Ok(Some(match (&key.lot, &key.serial) {
        (lot, Some(serial)) => {
            let unit_lot: Option<String> = db.query_opt(
                "SELECT lot FROM units WHERE gtin = ?1 AND serial = ?2",
                &[&key.gtin, serial],
                |r| r.get(0),
            )?;
            match unit_lot {
                Some(unit_lot) if lot.as_ref().is_none_or(|l| *l == unit_lot) => unit_lot,
                _ => return Ok(None),
            }
        }
        (Some(lot), None) => lot.clone(),
        (None, None) => {
            // The newest production first; a lot without a date only when no other has one.
            let latest: Option<String> = db.query_opt(
                "SELECT lot FROM lots WHERE gtin = ?1
                 ORDER BY production_date DESC NULLS LAST, lot DESC LIMIT 1",
                &[&key.gtin],
                |r| r.get(0),
            )?;
            match latest {
                Some(lot) => lot,
                None => return Ok(None),
            }
        }
    }))
}

/// The id of the record a key asks for (its lot resolved), or None when there is none.
pub fn record_id(db: &mut dyn Sql, key: &Key) -> Result<Option<String>, DbError> {
    Ok(resolve_lot(db, key)?.map(|lot| Key::record_id(&key.gtin, &lot, key.serial.as_deref())))
}

/// The record for a key as the database holds it now, or None when the portal has nothing
/// for it; `issued_at` is when this copy is made (and signed).
pub fn record(
    db: &mut dyn Sql,
    key: &Key,
    issued_at: &str,
) -> Result<Option<TraceRecord>, DbError> {
    let Some(lot) = resolve_lot(db, key)? else {
        return Ok(None);
    };
    let product = db
        .query_opt(
            "SELECT p.gtin, p.name_vi, p.name_en, p.brand, p.description_vi, p.description_en, p.image, p.origin,
                    p.net_content, p.standards, pa.name, pa.address, pa.gln, l.production_date, l.expiry_date
             FROM products p JOIN parties pa ON pa.gln = p.producer_gln
             JOIN lots l ON l.gtin = p.gtin AND l.lot = ?2
             WHERE p.gtin = ?1",
            &[&key.gtin, &lot],
            |r| {
                let standards: String = r.get(9)?;
                let (description, description_en): (Option<String>, Option<String>) = (r.get(4)?, r.get(5)?);
                Ok((
                    Product {
                        gtin: r.get(0)?,
                        name: LocalText { vi: r.get(1)?, en: r.get(2)? },
                        brand: r.get(3)?,
                        description: description.map(|vi| LocalText { vi, en: description_en }),
                        image: r.get(6)?,
                        origin: r.get(7)?,
                        net_content: r.get(8)?,
                        standards: standards.lines().map(Into::into).collect(),
                    },
                    Party { name: r.get(10)?, address: r.get(11)?, gln: r.get(12)? },
                    Lot { lot: lot.clone(), production_date: r.get(13)?, expiry_date: r.get(14)? },
                ))
            },
        )?;
    let Some((product, producer, lot_info)) = product else {
        return Ok(None);
    };
    let mut events: Vec<TimelineEvent> = db.query_map(
        "SELECT e.id, e.time, e.event_type, e.biz_step, e.disposition, l.gln, l.name, l.address,
                pa.gln, pa.name, pa.address, e.summary_vi, e.summary_en
         FROM event_lots el JOIN events e ON e.id = el.event_id
         LEFT JOIN locations l ON l.gln = e.location_gln LEFT JOIN parties pa ON pa.gln = e.actor_gln
         WHERE el.gtin = ?1 AND el.lot = ?2 ORDER BY e.time, e.id",
        &[&key.gtin, &lot],
        |r| {
            let event_type: String = r.get(2)?;
            let biz_step: Option<String> = r.get(3)?;
            let disposition: Option<String> = r.get(4)?;
            let place_name: Option<String> = r.get(6)?;
            let actor_name: Option<String> = r.get(9)?;
            Ok(TimelineEvent {
                id: r.get(0)?,
                time: r.get(1)?,
                stage: stage_of_stored(&event_type, biz_step.as_deref(), disposition.as_deref()),
                event_type,
                biz_step,
                disposition,
                place: match place_name {
                    Some(name) => Some(Place {
                        gln: r.get(5)?,
                        name,
                        address: r.get(7)?,
                    }),
                    None => None,
                },
                actor: match actor_name {
                    Some(name) => Some(Party {
                        gln: r.get(8)?,
                        name,
                        address: r.get(10)?,
                    }),
                    None => None,
                },
                summary: LocalText {
                    vi: r.get(11)?,
                    en: r.get(12)?,
                },
                inputs: vec![],
                outputs: vec![],
            })
        },
    )?;
    let items = db.query(
        "SELECT i.event_id, i.role, i.item FROM event_items i JOIN event_lots el ON el.event_id = i.event_id
         WHERE el.gtin = ?1 AND el.lot = ?2 ORDER BY i.event_id, i.role, i.position",
        &[&key.gtin, &lot],
    )?;
    for row in items {
        let (event_id, role, item): (String, String, String) =
            (row.get(0)?, row.get(1)?, row.get(2)?);
        if let Some(event) = events.iter_mut().find(|e| e.id == event_id) {
            match role.as_str() {
                "input" => event.inputs.push(item),
                _ => event.outputs.push(item),
            }
        }
    }
    // Text order is not time order across offsets; the seeded data is all +07:00, but imports
    // need not be.
    events.sort_by_key(|e| tem_core::time::rfc3339_to_unix(&e.time));
    let recall = db.query_opt(
        "SELECT date, authority, reason_vi, reason_en FROM recalls WHERE gtin = ?1 AND lot = ?2",
        &[&key.gtin, &lot],
        |r| {
            Ok(Recall {
                date: r.get(0)?,
                authority: r.get(1)?,
                reason: LocalText {
                    vi: r.get(2)?,
                    en: r.get(3)?,
                },
            })
        },
    )?;
    Ok(Some(TraceRecord {
        id: Key::record_id(&key.gtin, &lot, key.serial.as_deref()),
        product,
        producer,
        lot: lot_info,
        serial: key.serial.clone(),
        events,
        recall,
        issued_at: issued_at.to_string(),
    }))
}

/// Active recalls for a product, optionally one lot.
pub fn recalls(
    db: &mut dyn Sql,
    gtin: &str,
    lot: Option<&str>,
) -> Result<Vec<serde_json::Value>, DbError> {
    db.query_map(
        "SELECT gtin, lot, date, authority, reason_vi, reason_en FROM recalls
         WHERE gtin = ?1 AND (CAST(?2 AS TEXT) IS NULL OR lot = ?2) ORDER BY date DESC, lot",
        &[&gtin, &lot],
        |r| {
            Ok(serde_json::json!({
                "gtin": r.get::<String>(0)?, "lot": r.get::<String>(1)?, "date": r.get::<String>(2)?,
                "authority": r.get::<String>(3)?,
                "reason": {"vi": r.get::<String>(4)?, "en": r.get::<Option<String>>(5)?},
            }))
        },
    )
}

/// Every stamp worth printing: one per lot, and one per serialised unit.
pub fn stamp_keys(db: &mut dyn Sql) -> Result<Vec<(Key, String)>, DbError> {
    // A lot's own stamp (no serial) comes before its units', in both stores.
    db.query_map(
        "SELECT l.gtin, l.lot, NULL, p.name_vi FROM lots l JOIN products p ON p.gtin = l.gtin
         UNION ALL
         SELECT u.gtin, u.lot, u.serial, p.name_vi FROM units u JOIN products p ON p.gtin = u.gtin
         ORDER BY 1, 2, 3 NULLS FIRST",
        &[],
        |r| {
            Ok((
                Key {
                    gtin: r.get(0)?,
                    lot: r.get(1)?,
                    serial: r.get(2)?,
                },
                r.get(3)?,
            ))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postgres_url_is_shown_without_its_password() {
        let shown = |url: &str| Location::parse(url).to_string();
        assert_eq!(
            shown("postgres://tem:s3cret@db.example:5432/tem?sslmode=disable"),
            "postgres://tem:***@db.example:5432/tem?sslmode=disable"
        );
        assert_eq!(
            shown("postgresql://tem@db/tem?password=s3cret&application_name=x"),
            "postgresql://tem@db/tem?password=***&application_name=x"
        );
        assert_eq!(shown("var/portal.sqlite"), "var/portal.sqlite");
    }

    #[test]
    fn record_ids_round_trip_to_the_key() {
        let id = Key::record_id("08936012345674", "MO2604", Some("A0001"));
        let key = Key::from_record_id(&id).unwrap();
        assert_eq!(key.lot.as_deref(), Some("MO2604"));
        assert_eq!(key.serial.as_deref(), Some("A0001"));
        assert_eq!(Key::from_record_id("8936012345674.MO2604"), None);
        let dotted = Key::record_id("08936012345674", "MO.26%04", Some("A.1"));
        assert_eq!(dotted, "08936012345674.MO%2E26%2504.A%2E1");
        let key = Key::from_record_id(&dotted).unwrap();
        assert_eq!(key.lot.as_deref(), Some("MO.26%04"));
        assert_eq!(key.serial.as_deref(), Some("A.1"));
        assert_eq!(Key::from_record_id("08936012345674.MO%41"), None);
        assert_eq!(Key::from_record_id("08936012345674.A.B.C"), None);
    }
}
