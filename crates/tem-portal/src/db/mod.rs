//! The portal's SQLite database: schema migrations and building trace records from rows.

mod pool;

pub use pool::Pool;

use std::path::Path;

use rusqlite::{Connection, ErrorCode, OptionalExtension, params};
use tem_core::epcis::stage_of_stored;
use tem_core::record::{LocalText, Lot, Party, Place, Product, Recall, TimelineEvent, TraceRecord};

use crate::error::PortalError;

/// Each entry moves the schema one version up; `PRAGMA user_version` records how far a file is.
const MIGRATIONS: &[&str] = &[
    "
    CREATE TABLE parties (gln TEXT PRIMARY KEY, name TEXT NOT NULL, address TEXT);
    CREATE TABLE locations (gln TEXT PRIMARY KEY, name TEXT NOT NULL, address TEXT);
    CREATE TABLE products (
        gtin TEXT PRIMARY KEY, name_vi TEXT NOT NULL, name_en TEXT, brand TEXT,
        description_vi TEXT, description_en TEXT, origin TEXT NOT NULL, net_content TEXT,
        standards TEXT NOT NULL DEFAULT '', image TEXT,
        producer_gln TEXT NOT NULL REFERENCES parties(gln));
    CREATE TABLE lots (
        gtin TEXT NOT NULL REFERENCES products(gtin), lot TEXT NOT NULL,
        production_date TEXT, expiry_date TEXT, PRIMARY KEY (gtin, lot));
    CREATE TABLE units (
        gtin TEXT NOT NULL, serial TEXT NOT NULL, lot TEXT NOT NULL,
        PRIMARY KEY (gtin, serial), FOREIGN KEY (gtin, lot) REFERENCES lots(gtin, lot));
    CREATE TABLE events (
        id TEXT PRIMARY KEY, gtin TEXT NOT NULL, lot TEXT NOT NULL, time TEXT NOT NULL,
        event_type TEXT NOT NULL, biz_step TEXT, disposition TEXT,
        location_gln TEXT REFERENCES locations(gln), actor_gln TEXT REFERENCES parties(gln),
        summary_vi TEXT NOT NULL, summary_en TEXT,
        FOREIGN KEY (gtin, lot) REFERENCES lots(gtin, lot));
    CREATE INDEX events_by_lot ON events (gtin, lot, time);
    CREATE TABLE recalls (
        gtin TEXT NOT NULL, lot TEXT NOT NULL, date TEXT NOT NULL, authority TEXT NOT NULL,
        reason_vi TEXT NOT NULL, reason_en TEXT, PRIMARY KEY (gtin, lot));
",
    "
    CREATE TABLE event_items (
        event_id TEXT NOT NULL REFERENCES events(id),
        role TEXT NOT NULL CHECK (role IN ('input', 'output')), position INTEGER NOT NULL,
        item TEXT NOT NULL, PRIMARY KEY (event_id, role, position));
",
    // Who signs what (DESIGN §5): issuers with the domains their stamps may use and the GS1
    // company prefixes they sign stamps for; their keys with validity periods; each record as
    // signed when its data came in; and per-item evidence (unit states, scans).
    "
    CREATE TABLE issuers (
        id TEXT PRIMARY KEY, name_vi TEXT NOT NULL, name_en TEXT,
        domains TEXT NOT NULL DEFAULT '', gcp TEXT NOT NULL DEFAULT '');
    CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY, issuer_id TEXT NOT NULL REFERENCES issuers(id),
        private_jwk TEXT NOT NULL, nbf INTEGER, exp INTEGER,
        published INTEGER NOT NULL DEFAULT 1 CHECK (published IN (0, 1)));
    ALTER TABLE products ADD COLUMN issuer_id TEXT REFERENCES issuers(id);
    ALTER TABLE units ADD COLUMN state TEXT NOT NULL DEFAULT 'issued'
        CHECK (state IN ('issued', 'activated', 'void'));
    ALTER TABLE units ADD COLUMN activated_at TEXT;
    ALTER TABLE units ADD COLUMN retailer TEXT;
    CREATE TABLE scans (
        gtin TEXT NOT NULL, serial TEXT NOT NULL, at TEXT NOT NULL, province TEXT,
        FOREIGN KEY (gtin, serial) REFERENCES units(gtin, serial));
    CREATE INDEX scans_by_unit ON scans (gtin, serial, at);
    CREATE TABLE signed_records (
        id TEXT PRIMARY KEY, jws TEXT NOT NULL, kid TEXT NOT NULL, signed_at TEXT NOT NULL);
",
    // EPCIS capture (crate::capture): the enterprises that write events, known by a hash of
    // their token and limited to their GS1 company prefixes; one row per capture job; and
    // every lot an event concerns, since one event (a transformation, a mixed pallet) can
    // belong to the history of several lots.
    "
    CREATE TABLE enterprises (
        id TEXT PRIMARY KEY, name TEXT NOT NULL, gcp TEXT NOT NULL,
        token_sha256 TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
    CREATE TABLE capture_jobs (
        id TEXT PRIMARY KEY, enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
        created_at TEXT NOT NULL, finished_at TEXT,
        success INTEGER CHECK (success IN (0, 1)), events INTEGER NOT NULL DEFAULT 0,
        errors TEXT NOT NULL DEFAULT '[]');
    CREATE INDEX capture_jobs_by_enterprise ON capture_jobs (enterprise_id, created_at);
    ALTER TABLE events ADD COLUMN capture_id TEXT REFERENCES capture_jobs(id);
    CREATE TABLE event_lots (
        event_id TEXT NOT NULL REFERENCES events(id), gtin TEXT NOT NULL, lot TEXT NOT NULL,
        PRIMARY KEY (event_id, gtin, lot), FOREIGN KEY (gtin, lot) REFERENCES lots(gtin, lot));
    CREATE INDEX event_lots_by_lot ON event_lots (gtin, lot);
    INSERT INTO event_lots (event_id, gtin, lot) SELECT id, gtin, lot FROM events;
    -- An event always belongs to the lot it is filed under, however it was written.
    CREATE TRIGGER events_in_their_own_lot AFTER INSERT ON events BEGIN
        INSERT OR IGNORE INTO event_lots (event_id, gtin, lot) VALUES (new.id, new.gtin, new.lot);
    END;
    CREATE TRIGGER events_leave_their_lots BEFORE DELETE ON events BEGIN
        DELETE FROM event_lots WHERE event_id = old.id;
    END;
    CREATE INDEX event_items_by_item ON event_items (item);
",
    // Several issuers: one whose stamps another resolver serves is registered with its public
    // key only (`jwk` then has no private part) and the resolver's base URL.
    "
    ALTER TABLE issuers ADD COLUMN resolver TEXT;
    ALTER TABLE signing_keys RENAME COLUMN private_jwk TO jwk;
",
];

/// Opens the database at `path` (a new, empty one when there is no file), refuses a damaged
/// file or one from a newer schema before writing anything to it, and migrates the rest.
pub fn open(path: &Path) -> Result<Connection, PortalError> {
    let database = |source| PortalError::Database {
        path: path.to_path_buf(),
        source,
    };
    let mut db = Connection::open(path).map_err(database)?;
    check(&db, path)?;
    db.pragma_update(None, "foreign_keys", "ON")
        .map_err(database)?;
    // Readers then never wait for the writer (scans), nor it for them.
    db.pragma_update(None, "journal_mode", "WAL")
        .map_err(database)?;
    migrate(&mut db).map_err(database)?;
    Ok(db)
}

/// The file's integrity (SQLite's quick check) and that its schema is one this build knows.
fn check(db: &Connection, path: &Path) -> Result<(), PortalError> {
    let damaged = |detail: String| PortalError::Damaged {
        path: path.to_path_buf(),
        detail,
    };
    let found = db
        .prepare("PRAGMA quick_check")
        .and_then(|mut check| check.query_map([], |r| r.get(0))?.collect())
        .and_then(|problems: Vec<String>| {
            let version: usize = db.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            Ok((problems, version))
        });
    let (problems, version) = match found {
        Ok(found) => found,
        Err(error)
            if matches!(
                error.sqlite_error_code(),
                Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
            ) =>
        {
            return Err(damaged(error.to_string()));
        }
        Err(source) => {
            return Err(PortalError::Database {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    if problems != ["ok"] {
        // The first few say enough; a badly damaged file lists hundreds.
        return Err(damaged(
            problems
                .iter()
                .take(3)
                .cloned()
                .collect::<Vec<_>>()
                .join("; "),
        ));
    }
    if version > MIGRATIONS.len() {
        return Err(PortalError::SchemaTooNew {
            path: path.to_path_buf(),
            found: version,
            known: MIGRATIONS.len(),
        });
    }
    Ok(())
}

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
pub fn is_empty(db: &Connection) -> rusqlite::Result<bool> {
    let mut tables = db.prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    )?;
    let tables: Vec<String> = tables
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for table in tables {
        let quoted = table.replace('"', "\"\"");
        let any: bool = db.query_row(
            &format!("SELECT EXISTS (SELECT 1 FROM \"{quoted}\")"),
            [],
            |r| r.get(0),
        )?;
        if any {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The schema version this build migrates to.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

fn migrate(db: &mut Connection) -> rusqlite::Result<()> {
    let version: usize = db.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for (index, migration) in MIGRATIONS.iter().enumerate().skip(version) {
        let tx = db.transaction()?;
        tx.execute_batch(migration)?;
        tx.pragma_update(None, "user_version", index + 1)?;
        tx.commit()?;
    }
    Ok(())
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
pub fn resolve_lot(db: &Connection, key: &Key) -> rusqlite::Result<Option<String>> {
    Ok(Some(match (&key.lot, &key.serial) {
        (lot, Some(serial)) => {
            let unit_lot: Option<String> = db
                .query_row(
                    "SELECT lot FROM units WHERE gtin = ?1 AND serial = ?2",
                    params![key.gtin, serial],
                    |r| r.get(0),
                )
                .optional()?;
            match unit_lot {
                Some(unit_lot) if lot.as_ref().is_none_or(|l| *l == unit_lot) => unit_lot,
                _ => return Ok(None),
            }
        }
        (Some(lot), None) => lot.clone(),
        (None, None) => {
            let latest: Option<String> = db
                .query_row(
                    "SELECT lot FROM lots WHERE gtin = ?1 ORDER BY production_date DESC LIMIT 1",
                    params![key.gtin],
                    |r| r.get(0),
                )
                .optional()?;
            match latest {
                Some(lot) => lot,
                None => return Ok(None),
            }
        }
    }))
}

/// The id of the record a key asks for (its lot resolved), or None when there is none.
pub fn record_id(db: &Connection, key: &Key) -> rusqlite::Result<Option<String>> {
    Ok(resolve_lot(db, key)?.map(|lot| Key::record_id(&key.gtin, &lot, key.serial.as_deref())))
}

/// The record for a key as the database holds it now, or None when the portal has nothing
/// for it; `issued_at` is when this copy is made (and signed).
pub fn record(
    db: &Connection,
    key: &Key,
    issued_at: &str,
) -> rusqlite::Result<Option<TraceRecord>> {
    let Some(lot) = resolve_lot(db, key)? else {
        return Ok(None);
    };
    let product = db
        .query_row(
            "SELECT p.gtin, p.name_vi, p.name_en, p.brand, p.description_vi, p.description_en, p.image, p.origin,
                    p.net_content, p.standards, pa.name, pa.address, pa.gln, l.production_date, l.expiry_date
             FROM products p JOIN parties pa ON pa.gln = p.producer_gln
             JOIN lots l ON l.gtin = p.gtin AND l.lot = ?2
             WHERE p.gtin = ?1",
            params![key.gtin, lot],
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
        )
        .optional()?;
    let Some((product, producer, lot_info)) = product else {
        return Ok(None);
    };
    let mut statement = db.prepare(
        "SELECT e.id, e.time, e.event_type, e.biz_step, e.disposition, l.gln, l.name, l.address,
                pa.gln, pa.name, pa.address, e.summary_vi, e.summary_en
         FROM event_lots el JOIN events e ON e.id = el.event_id
         LEFT JOIN locations l ON l.gln = e.location_gln LEFT JOIN parties pa ON pa.gln = e.actor_gln
         WHERE el.gtin = ?1 AND el.lot = ?2 ORDER BY e.time, e.id",
    )?;
    let mut events: Vec<TimelineEvent> = statement
        .query_map(params![key.gtin, lot], |r| {
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
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut items = db.prepare(
        "SELECT i.event_id, i.role, i.item FROM event_items i JOIN event_lots el ON el.event_id = i.event_id
         WHERE el.gtin = ?1 AND el.lot = ?2 ORDER BY i.event_id, i.role, i.position",
    )?;
    let mut rows = items.query(params![key.gtin, lot])?;
    while let Some(row) = rows.next()? {
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
    let recall = db
        .query_row(
            "SELECT date, authority, reason_vi, reason_en FROM recalls WHERE gtin = ?1 AND lot = ?2",
            params![key.gtin, lot],
            |r| Ok(Recall { date: r.get(0)?, authority: r.get(1)?, reason: LocalText { vi: r.get(2)?, en: r.get(3)? } }),
        )
        .optional()?;
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
    db: &Connection,
    gtin: &str,
    lot: Option<&str>,
) -> rusqlite::Result<Vec<serde_json::Value>> {
    let mut statement = db.prepare(
        "SELECT gtin, lot, date, authority, reason_vi, reason_en FROM recalls
         WHERE gtin = ?1 AND (?2 IS NULL OR lot = ?2) ORDER BY date DESC",
    )?;
    statement
        .query_map(params![gtin, lot], |r| {
            Ok(serde_json::json!({
                "gtin": r.get::<_, String>(0)?, "lot": r.get::<_, String>(1)?, "date": r.get::<_, String>(2)?,
                "authority": r.get::<_, String>(3)?,
                "reason": {"vi": r.get::<_, String>(4)?, "en": r.get::<_, Option<String>>(5)?},
            }))
        })?
        .collect()
}

/// Every stamp worth printing: one per lot, and one per serialised unit.
pub fn stamp_keys(db: &Connection) -> rusqlite::Result<Vec<(Key, String)>> {
    let mut statement = db.prepare(
        "SELECT l.gtin, l.lot, NULL, p.name_vi FROM lots l JOIN products p ON p.gtin = l.gtin
         UNION ALL
         SELECT u.gtin, u.lot, u.serial, p.name_vi FROM units u JOIN products p ON p.gtin = u.gtin
         ORDER BY 1, 2, 3",
    )?;
    statement
        .query_map([], |r| {
            Ok((
                Key {
                    gtin: r.get(0)?,
                    lot: r.get(1)?,
                    serial: r.get(2)?,
                },
                r.get(3)?,
            ))
        })?
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reopening_migrates_nothing_twice_and_records_the_version() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("portal.sqlite");
        for _ in 0..2 {
            let db = open(&path).unwrap();
            let version: usize = db
                .query_row("PRAGMA user_version", [], |r| r.get(0))
                .unwrap();
            assert_eq!(version, MIGRATIONS.len());
        }
    }

    #[test]
    fn a_database_from_an_older_version_is_brought_up_to_date() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("portal.sqlite");
        let old = Connection::open(&path).unwrap();
        old.execute_batch(MIGRATIONS[0]).unwrap();
        old.pragma_update(None, "user_version", 1).unwrap();
        drop(old);
        let db = open(&path).unwrap();
        let items: i64 = db
            .query_row("SELECT COUNT(*) FROM event_items", [], |r| r.get(0))
            .unwrap();
        assert_eq!(items, 0);
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
