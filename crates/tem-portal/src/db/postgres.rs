//! The shared store: one PostgreSQL database behind several portal instances.
//!
//! The schema is SQLite's (`db::sqlite`) in PostgreSQL's dialect: BIGINT for every integer (the
//! portal binds 64-bit ones), the `event_lots` triggers in PL/pgSQL, and text compared byte by
//! byte (`COLLATE "C"`) so that ids, lots and RFC 3339 times sort as they do in SQLite whatever
//! locale the database was created with. Support began at schema version 5: a database
//! starts there, and each later version adds one entry to both stores' lists.

use std::time::Duration;

use postgres::{Client, NoTls};

use super::{DbError, Location, SCHEMA_VERSION};
use crate::error::PortalError;

/// The version `MIGRATIONS[0]` creates.
const FIRST_VERSION: usize = 5;

const MIGRATIONS: &[&str] = &[r#"
    CREATE TABLE tem_schema (version BIGINT NOT NULL);
    CREATE TABLE parties (gln TEXT COLLATE "C" PRIMARY KEY, name TEXT NOT NULL, address TEXT);
    CREATE TABLE locations (gln TEXT COLLATE "C" PRIMARY KEY, name TEXT NOT NULL, address TEXT);
    CREATE TABLE issuers (
        id TEXT COLLATE "C" PRIMARY KEY, name_vi TEXT NOT NULL, name_en TEXT,
        domains TEXT NOT NULL DEFAULT '', gcp TEXT NOT NULL DEFAULT '', resolver TEXT COLLATE "C");
    CREATE TABLE products (
        gtin TEXT COLLATE "C" PRIMARY KEY, name_vi TEXT NOT NULL, name_en TEXT, brand TEXT,
        description_vi TEXT, description_en TEXT, origin TEXT NOT NULL, net_content TEXT,
        standards TEXT NOT NULL DEFAULT '', image TEXT,
        producer_gln TEXT NOT NULL REFERENCES parties(gln),
        issuer_id TEXT REFERENCES issuers(id));
    CREATE TABLE lots (
        gtin TEXT COLLATE "C" NOT NULL REFERENCES products(gtin), lot TEXT COLLATE "C" NOT NULL,
        production_date TEXT COLLATE "C", expiry_date TEXT, PRIMARY KEY (gtin, lot));
    CREATE TABLE units (
        gtin TEXT COLLATE "C" NOT NULL, serial TEXT COLLATE "C" NOT NULL,
        lot TEXT COLLATE "C" NOT NULL,
        state TEXT NOT NULL DEFAULT 'issued' CHECK (state IN ('issued', 'activated', 'void')),
        activated_at TEXT, retailer TEXT,
        PRIMARY KEY (gtin, serial), FOREIGN KEY (gtin, lot) REFERENCES lots(gtin, lot));
    CREATE TABLE enterprises (
        id TEXT COLLATE "C" PRIMARY KEY, name TEXT NOT NULL, gcp TEXT NOT NULL,
        token_sha256 TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
    CREATE TABLE capture_jobs (
        id TEXT COLLATE "C" PRIMARY KEY, enterprise_id TEXT NOT NULL REFERENCES enterprises(id),
        created_at TEXT COLLATE "C" NOT NULL, finished_at TEXT,
        success BIGINT CHECK (success IN (0, 1)), events BIGINT NOT NULL DEFAULT 0,
        errors TEXT NOT NULL DEFAULT '[]',
        -- The order jobs came in, named as SQLite names it.
        rowid BIGSERIAL);
    CREATE INDEX capture_jobs_by_enterprise ON capture_jobs (enterprise_id, created_at);
    CREATE TABLE events (
        id TEXT COLLATE "C" PRIMARY KEY, gtin TEXT COLLATE "C" NOT NULL,
        lot TEXT COLLATE "C" NOT NULL, time TEXT COLLATE "C" NOT NULL,
        event_type TEXT NOT NULL, biz_step TEXT, disposition TEXT,
        location_gln TEXT REFERENCES locations(gln), actor_gln TEXT REFERENCES parties(gln),
        summary_vi TEXT NOT NULL, summary_en TEXT,
        capture_id TEXT REFERENCES capture_jobs(id),
        FOREIGN KEY (gtin, lot) REFERENCES lots(gtin, lot));
    CREATE INDEX events_by_lot ON events (gtin, lot, time);
    CREATE TABLE recalls (
        gtin TEXT COLLATE "C" NOT NULL, lot TEXT COLLATE "C" NOT NULL,
        date TEXT COLLATE "C" NOT NULL, authority TEXT NOT NULL,
        reason_vi TEXT NOT NULL, reason_en TEXT, PRIMARY KEY (gtin, lot));
    CREATE TABLE event_items (
        event_id TEXT COLLATE "C" NOT NULL REFERENCES events(id),
        role TEXT COLLATE "C" NOT NULL CHECK (role IN ('input', 'output')),
        position BIGINT NOT NULL, item TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (event_id, role, position));
    CREATE INDEX event_items_by_item ON event_items (item);
    CREATE TABLE event_lots (
        event_id TEXT COLLATE "C" NOT NULL REFERENCES events(id),
        gtin TEXT COLLATE "C" NOT NULL, lot TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (event_id, gtin, lot), FOREIGN KEY (gtin, lot) REFERENCES lots(gtin, lot));
    CREATE INDEX event_lots_by_lot ON event_lots (gtin, lot);
    CREATE TABLE signing_keys (
        kid TEXT COLLATE "C" PRIMARY KEY, issuer_id TEXT COLLATE "C" NOT NULL REFERENCES issuers(id),
        jwk TEXT NOT NULL, nbf BIGINT, exp BIGINT,
        published BIGINT NOT NULL DEFAULT 1 CHECK (published IN (0, 1)));
    CREATE TABLE scans (
        gtin TEXT COLLATE "C" NOT NULL, serial TEXT COLLATE "C" NOT NULL,
        at TEXT COLLATE "C" NOT NULL, province TEXT COLLATE "C",
        FOREIGN KEY (gtin, serial) REFERENCES units(gtin, serial));
    CREATE INDEX scans_by_unit ON scans (gtin, serial, at);
    CREATE TABLE signed_records (
        id TEXT COLLATE "C" PRIMARY KEY, jws TEXT NOT NULL, kid TEXT NOT NULL,
        signed_at TEXT NOT NULL);
    -- An event always belongs to the lot it is filed under, however it was written.
    CREATE FUNCTION events_in_their_own_lot() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO event_lots (event_id, gtin, lot) VALUES (NEW.id, NEW.gtin, NEW.lot)
            ON CONFLICT DO NOTHING;
        RETURN NULL;
    END $$;
    CREATE TRIGGER events_in_their_own_lot AFTER INSERT ON events
        FOR EACH ROW EXECUTE FUNCTION events_in_their_own_lot();
    CREATE FUNCTION events_leave_their_lots() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM event_lots WHERE event_id = OLD.id;
        RETURN OLD;
    END $$;
    CREATE TRIGGER events_leave_their_lots BEFORE DELETE ON events
        FOR EACH ROW EXECUTE FUNCTION events_leave_their_lots();
"#];

/// Every instance starting on one database takes this advisory lock first, so that two never
/// migrate or seed it at once.
const START_UP_LOCK: i64 = 0x7465_6d2d_706f_7274; // "tem-port"

/// How long a start-up waits for the server to answer at all.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The client settings of `url`. A URL without a password takes `PGPASSWORD`'s, as libpq's
/// tools do, so that an operator need not put it on a command line every user can read.
fn config(url: &str) -> Result<postgres::Config, postgres::Error> {
    settings(url, std::env::var_os("PGPASSWORD"))
}

fn settings(
    url: &str,
    password_from_env: Option<std::ffi::OsString>,
) -> Result<postgres::Config, postgres::Error> {
    let mut config: postgres::Config = url.parse()?;
    config.application_name("tem-portal");
    if config.get_password().is_none()
        && let Some(password) = password_from_env
    {
        config.password(password.as_encoded_bytes());
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    Ok(config)
}

/// Connects to the database at `url`, waits its turn behind any other instance starting up,
/// refuses a database of a newer schema or one holding tables that are not the portal's, and
/// migrates the rest. The turn is held until the connection is dropped.
pub(super) fn open(url: &str) -> Result<Client, PortalError> {
    let location = || Location::Postgres(url.to_string());
    let database = |source: postgres::Error| PortalError::Database {
        db: location(),
        source: DbError::Postgres(source),
    };
    let mut client = config(url)
        .and_then(|config| config.connect(NoTls))
        .map_err(database)?;
    client
        .execute("SELECT pg_advisory_lock($1)", &[&START_UP_LOCK])
        .map_err(database)?;
    let version = schema_version(&mut client).map_err(database)?;
    let version = match version {
        Some(version) => version,
        None if has_tables(&mut client).map_err(database)? => {
            return Err(PortalError::Usage {
                reason: format!(
                    "database {}: it holds tables but no tem-portal schema; the portal will not write into it. Give it a database of its own (createdb tem)",
                    location()
                ),
            });
        }
        None => FIRST_VERSION - 1,
    };
    if version > SCHEMA_VERSION {
        return Err(PortalError::SchemaTooNew {
            db: location(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    for (index, migration) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(version + 1 - FIRST_VERSION)
    {
        let reached = i64::try_from(FIRST_VERSION + index).unwrap_or(i64::MAX);
        let mut tx = client.transaction().map_err(database)?;
        tx.batch_execute(migration).map_err(database)?;
        tx.execute("DELETE FROM tem_schema", &[])
            .map_err(database)?;
        tx.execute("INSERT INTO tem_schema (version) VALUES ($1)", &[&reached])
            .map_err(database)?;
        tx.commit().map_err(database)?;
    }
    Ok(client)
}

fn schema_version(client: &mut Client) -> Result<Option<usize>, postgres::Error> {
    let known: bool = client
        .query_one("SELECT to_regclass('tem_schema') IS NOT NULL", &[])?
        .try_get(0)?;
    if !known {
        return Ok(None);
    }
    let version: Option<i64> = client
        .query_opt("SELECT version FROM tem_schema", &[])?
        .map(|row| row.try_get(0))
        .transpose()?;
    Ok(Some(
        version.map_or(0, |v| usize::try_from(v).unwrap_or(usize::MAX)),
    ))
}

fn has_tables(client: &mut Client) -> Result<bool, postgres::Error> {
    client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema())",
            &[],
        )?
        .try_get(0)
}

/// A connection for the pool: a statement runs at most `timeout` and waits for a lock held
/// elsewhere at most `busy`, on the server's clock too, so that one left running by a client
/// that gave up does not hold its locks.
pub(super) fn connect(
    url: &str,
    busy: Duration,
    timeout: Duration,
) -> Result<Client, postgres::Error> {
    let mut client = config(url)?.connect(NoTls)?;
    client.batch_execute(&format!(
        "SET statement_timeout = {}; SET lock_timeout = {}; SET idle_in_transaction_session_timeout = {}",
        timeout.as_millis(),
        busy.as_millis(),
        timeout.as_millis()
    ))?;
    Ok(client)
}

/// The tables of the schema, as `db::is_empty` looks through them; its own version is not data.
pub(super) const TABLES: &str = "SELECT table_name::TEXT FROM information_schema.tables
    WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
      AND table_name <> 'tem_schema'";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_reaches_the_version_sqlite_s_does() {
        assert_eq!(FIRST_VERSION + MIGRATIONS.len() - 1, SCHEMA_VERSION);
    }

    #[test]
    fn pgpassword_fills_in_only_a_password_the_url_does_not_give() {
        let from_env = || Some(std::ffi::OsString::from("from-env"));
        let without = settings("postgres://tem@db.example/tem", from_env()).unwrap();
        assert_eq!(without.get_password(), Some(&b"from-env"[..]));
        let with = settings("postgres://tem:in-url@db.example/tem", from_env()).unwrap();
        assert_eq!(with.get_password(), Some(&b"in-url"[..]));
        let neither = settings("postgres://tem@db.example/tem", None).unwrap();
        assert_eq!(neither.get_password(), None);
        assert_eq!(neither.get_application_name(), Some("tem-portal"));
        assert_eq!(neither.get_connect_timeout(), Some(&CONNECT_TIMEOUT));
    }
}
