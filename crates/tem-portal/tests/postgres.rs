//! What only a PostgreSQL deployment meets: several portal instances on one database, a server
//! that drops the portal's connections or refuses new ones, locks held by another client, and
//! a database that is not the portal's or is newer than this build. The HTTP suites
//! (`tests/http.rs`, `tests/resolver.rs`) run over PostgreSQL too, with the same variable.
//!
//! These need `TEM_TEST_POSTGRES` (a server's URL; `scripts/test.sh` starts one); without it
//! each says on stderr that it was skipped.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use tem_portal::Config;
use tem_portal::db::Location;

mod common;

const HONEY: &str = "08936012345674";
const HONEY_LOT: &str = "MO2604";

/// The server's URL, or None after saying the test was skipped.
fn server() -> Option<String> {
    let url = std::env::var("TEM_TEST_POSTGRES").ok();
    if url.is_none() {
        let test = std::thread::current().name().unwrap_or("?").to_string();
        let _ = writeln!(
            std::io::stderr(),
            "postgres: skipped {test} (TEM_TEST_POSTGRES is not set)"
        );
    }
    url
}

fn config(dir: &Path, db: Location) -> Config {
    std::fs::create_dir_all(dir.join("www")).unwrap();
    std::fs::write(dir.join("www/index.html"), "<title>tem</title>").unwrap();
    Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        db,
        www: dir.join("www"),
        pkg: dir.join("pkg"),
        stamps: dir.join("stamps"),
        root_key: Path::new(env!("CARGO_MANIFEST_DIR")).join("../../trust/demo-root.jwk"),
        seed: Some(tem_portal::Seed::Demo),
        ..Config::default()
    }
}

/// A running portal and a client for it.
struct Portal {
    running: common::Running,
    agent: ureq::Agent,
}

fn try_start(config: Config) -> Result<Portal, String> {
    let running = common::try_start(config)?;
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    Ok(Portal { running, agent })
}

impl Portal {
    fn get(&self, path: &str) -> (u16, String) {
        let mut reply = self
            .agent
            .get(format!("{}{path}", self.running.base))
            .header("Accept", "application/json")
            .call()
            .expect("the portal answers");
        let status = reply.status().as_u16();
        (
            status,
            reply.body_mut().read_to_string().unwrap_or_default(),
        )
    }

    fn scan(&self, serial: &str) -> (u16, String) {
        let body = format!(r#"{{"gtin":"{HONEY}","lot":"{HONEY_LOT}","serial":"{serial}"}}"#);
        let mut reply = self
            .agent
            .post(format!("{}/api/v1/scans", self.running.base))
            .header("Content-Type", "application/json")
            .send(body.as_str())
            .expect("the portal answers");
        let status = reply.status().as_u16();
        (
            status,
            reply.body_mut().read_to_string().unwrap_or_default(),
        )
    }

    fn count(&self, serial: &str) -> u64 {
        let (status, body) = self.get(&format!("/api/v1/scans?gtin={HONEY}&serial={serial}"));
        assert_eq!(status, 200, "{body}");
        let history: serde_json::Value = serde_json::from_str(&body).unwrap();
        history["count"].as_u64().unwrap()
    }
}

/// The database a test's `dir` names on the server, and an administrator's connection to it.
fn database(dir: &Path, server: &str) -> (Location, postgres::Client) {
    let location = common::database(dir, dir.join("unused.sqlite"));
    let Location::Postgres(url) = &location else {
        unreachable!("TEM_TEST_POSTGRES is set")
    };
    let admin =
        postgres::Client::connect(url, postgres::NoTls).unwrap_or_else(|e| panic!("{server}: {e}"));
    (location, admin)
}

fn database_name(location: &Location) -> String {
    let Location::Postgres(url) = location else {
        unreachable!()
    };
    url.rsplit('/').next().unwrap().to_string()
}

#[test]
fn two_instances_on_one_database_count_every_scan_and_serve_each_other_s_writes() {
    let Some(server) = server() else { return };
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let (db, _admin) = database(dirs[0].path(), &server);
    // One after the other: the second finds the demo data the first seeded, and seeds none.
    let portals: Vec<Portal> = dirs
        .iter()
        .map(|dir| try_start(config(dir.path(), db.clone())).unwrap())
        .collect();
    let serial = "A0003";
    let before = portals[1].count(serial);
    std::thread::scope(|scope| {
        for worker in 0..8 {
            let portal = &portals[worker % 2];
            scope.spawn(move || {
                for _ in 0..25 {
                    let (status, body) = portal.scan(serial);
                    assert_eq!(status, 200, "{body}");
                }
            });
        }
    });
    assert_eq!(portals[0].count(serial) - before, 200);
    assert_eq!(portals[1].count(serial) - before, 200);
    // The record one serves is the record the other signed.
    let path = format!("/api/v1/records/{HONEY}.{HONEY_LOT}");
    assert_eq!(portals[0].get(&path), portals[1].get(&path));
}

#[test]
fn a_connection_the_server_closed_is_replaced_and_no_request_gets_a_500() {
    let Some(server) = server() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (db, mut admin) = database(dir.path(), &server);
    let portal = try_start(config(dir.path(), db.clone())).unwrap();
    let path = format!("/api/v1/records/{HONEY}.{HONEY_LOT}");
    assert_eq!(portal.get(&path).0, 200);
    // As a fail-over or an administrator would: every connection but this one ends.
    admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = $1 AND pid <> pg_backend_pid()",
            &[&database_name(&db)],
        )
        .unwrap();
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(portal.get(&path).0);
        statuses.push(portal.get("/healthz").0);
    }
    // A request that drew a dead connection is a 503 to retry, never a 500; the rest succeed.
    assert!(
        statuses.iter().all(|s| *s == 200 || *s == 503),
        "{statuses:?}"
    );
    assert_eq!(&statuses[statuses.len() - 6..], &[200; 6], "{statuses:?}");
}

#[test]
fn a_database_that_takes_no_connection_is_a_503_and_the_portal_comes_back_with_it() {
    let Some(server) = server() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (db, admin) = database(dir.path(), &server);
    let portal = try_start(config(dir.path(), db.clone())).unwrap();
    let name = database_name(&db);
    drop(admin);
    let mut admin = postgres::Client::connect(&server, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"))
        .unwrap();
    admin
        .execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
            &[&name],
        )
        .unwrap();
    let path = format!("/api/v1/records/{HONEY}.{HONEY_LOT}");
    for _ in 0..3 {
        let (status, body) = portal.get("/healthz");
        assert_eq!(status, 503, "{body}");
        let (status, body) = portal.get(&path);
        assert_eq!(status, 503, "{body}");
        assert!(body.contains("cannot reach its database"), "{body}");
    }
    admin
        .batch_execute(&format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
        .unwrap();
    assert_eq!(portal.get("/healthz").0, 200);
    assert_eq!(portal.get(&path).0, 200);
}

#[test]
fn a_scan_behind_another_client_s_lock_is_a_503_in_time_while_records_are_read() {
    let Some(server) = server() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (db, mut admin) = database(dir.path(), &server);
    let portal = try_start(Config {
        request_timeout: Duration::from_millis(1200),
        ..config(dir.path(), db)
    })
    .unwrap();
    let mut lock = admin.transaction().unwrap();
    // Writes wait; reads go on.
    lock.batch_execute("LOCK TABLE scans IN EXCLUSIVE MODE")
        .unwrap();
    let started = Instant::now();
    let (status, body) = portal.scan("A0003");
    let waited = started.elapsed();
    assert_eq!(status, 503, "{body}");
    assert!(waited < Duration::from_millis(2500), "{waited:?}");
    let started = Instant::now();
    assert_eq!(
        portal
            .get(&format!("/api/v1/records/{HONEY}.{HONEY_LOT}"))
            .0,
        200
    );
    assert_eq!(portal.get("/healthz").0, 200);
    assert!(started.elapsed() < Duration::from_millis(800));
    lock.rollback().unwrap();
    assert_eq!(portal.scan("A0003").0, 200);
}

#[test]
fn a_database_of_a_newer_schema_or_of_someone_else_is_refused_and_left_as_it_is() {
    let Some(server) = server() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (db, mut admin) = database(dir.path(), &server);
    drop(try_start(config(dir.path(), db.clone())).unwrap());
    admin
        .batch_execute("UPDATE tem_schema SET version = 99")
        .unwrap();
    let error = try_start(config(dir.path(), db.clone()))
        .err()
        .expect("a newer schema is refused");
    assert!(error.contains("schema version 99"), "{error}");
    assert!(
        !error.contains("delete") && !error.contains("remove"),
        "{error}"
    );
    let version: i64 = admin
        .query_one("SELECT version FROM tem_schema", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, 99);

    let other = tempfile::tempdir().unwrap();
    let (db, mut admin) = database(other.path(), &server);
    admin
        .batch_execute("CREATE TABLE invoices (id BIGINT PRIMARY KEY)")
        .unwrap();
    let error = try_start(config(other.path(), db.clone()))
        .err()
        .expect("a database holding other tables is refused");
    assert!(error.contains("no tem-portal schema"), "{error}");
    let tables: i64 = admin
        .query_one(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables, 1);
}

#[test]
fn the_password_of_the_database_url_is_never_in_an_error() {
    let Some(server) = server() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (db, _admin) = database(dir.path(), &server);
    let Location::Postgres(url) = db else {
        unreachable!()
    };
    // A port nothing listens on, with a password in the URL.
    let wrong = url.replacen("tem@", "tem:s3cret-pw@", 1).replacen(
        &url.split('@')
            .nth(1)
            .unwrap()
            .split('/')
            .next()
            .unwrap()
            .to_string(),
        "127.0.0.1:9",
        1,
    );
    let error = try_start(config(dir.path(), Location::Postgres(wrong)))
        .err()
        .expect("no server there");
    assert!(!error.contains("s3cret-pw"), "{error}");
    assert!(error.contains("tem:***@127.0.0.1:9"), "{error}");
}
