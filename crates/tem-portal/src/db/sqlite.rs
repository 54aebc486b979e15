//! The embedded store: one SQLite file, its schema migrations and its integrity check.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::{DbError, Location};
use crate::error::PortalError;

/// Each entry moves the schema one version up; `PRAGMA user_version` records how far a file is.
pub(super) const MIGRATIONS: &[&str] = &[
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
pub(super) fn open(path: &Path) -> Result<Connection, PortalError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|source| PortalError::Io {
            path: parent.to_path_buf(),
            source,
        })?;
    }
    let database = |source: rusqlite::Error| PortalError::Database {
        db: Location::Sqlite(path.to_path_buf()),
        source: DbError::Sqlite(source),
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
                db: Location::Sqlite(path.to_path_buf()),
                source: DbError::Sqlite(source),
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
            db: Location::Sqlite(path.to_path_buf()),
            found: version,
            known: MIGRATIONS.len(),
        });
    }
    Ok(())
}

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

/// A connection for the pool to the file start-up made; waits for a lock held elsewhere `busy`.
pub(super) fn connect(path: &Path, busy: Duration) -> rusqlite::Result<Connection> {
    // Never creates a file: start-up made it, and one gone since must not come back empty.
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let connection = Connection::open_with_flags(path, flags)?;
    connection.busy_timeout(busy)?;
    connection.pragma_update(None, "foreign_keys", "ON")?;
    Ok(connection)
}

/// The tables of the schema, as `db::is_empty` looks through them.
pub(super) const TABLES: &str =
    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'";

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
}
