//! The portal under what an operator meets: databases that are new, damaged, from a newer
//! build, locked or deleted under it; hostile rows, paths and connections; signals. Each test
//! is named after the failure it pins, against a real server on loopback over SQLite files in
//! temporary directories.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;
use tem_portal::db::Location;
use tem_portal::{Config, Seed};

mod common;

/// The demo stamp: Hưng Yên longan-flower honey, serialised.
const HONEY: &str = "08936012345674";
const HONEY_LOT: &str = "MO2604";

fn config(dir: &Path, seed: Option<Seed>) -> Config {
    std::fs::create_dir_all(dir.join("www")).unwrap();
    std::fs::write(
        dir.join("www/index.html"),
        "<!doctype html><title>tem</title>",
    )
    .unwrap();
    Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        db: Location::Sqlite(dir.join("portal.sqlite")),
        www: dir.join("www"),
        pkg: dir.join("pkg"),
        stamps: dir.join("stamps"),
        root_key: Path::new(env!("CARGO_MANIFEST_DIR")).join("../../trust/demo-root.jwk"),
        seed,
        ..Config::default()
    }
}

/// A portal on a SQLite file, and the file.
struct Server {
    portal: common::Running,
    db: PathBuf,
}

/// Starts a portal on `config`, or the start-up error as the operator reads it.
fn try_start(config: Config) -> Result<Server, String> {
    let Location::Sqlite(db) = config.db.clone() else {
        panic!("these tests are about what happens to a SQLite file")
    };
    Ok(Server {
        portal: common::try_start(config)?,
        db,
    })
}

fn start(config: Config) -> Server {
    try_start(config).expect("the portal starts")
}

struct Reply {
    status: u16,
    content_type: String,
    body: String,
    took: Duration,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    fn error_code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

fn agent(timeout: Duration) -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(timeout))
        .build()
        .into()
}

impl Server {
    fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let started = Instant::now();
        let mut request = agent(Duration::from_secs(30)).get(format!("{}{path}", self.portal.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut response = request.call().expect("the portal answers");
        Reply {
            status: response.status().as_u16(),
            content_type: response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string(),
            body: response.body_mut().read_to_string().unwrap_or_default(),
            took: started.elapsed(),
        }
    }

    fn get(&self, path: &str) -> Reply {
        self.get_with(path, &[("Accept", "application/json")])
    }
}

fn count(db: &Path, table: &str) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_new_database_is_not_filled_with_demo_data_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    // No file at all, and a file of no bytes: both a new database.
    let server = start(config(dir.path(), None));
    assert_eq!(server.portal.stamps, 0);
    let record = server.get(&format!("/api/v1/records/{HONEY}.{HONEY_LOT}"));
    assert_eq!(record.status, 404, "{}", record.body);
    assert_eq!(count(&server.db, "products"), 0);
    drop(server);
    let empty = dir.path().join("empty.sqlite");
    std::fs::write(&empty, b"").unwrap();
    let server = start(Config {
        db: Location::Sqlite(empty),
        ..config(dir.path(), None)
    });
    assert_eq!(count(&server.db, "products"), 0);
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn a_database_that_holds_data_is_never_seeded_again() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(config(dir.path(), Some(Seed::Demo)));
    assert!(
        server.portal.stamps >= 12,
        "{} stamps",
        server.portal.stamps
    );
    let db = server.db.clone();
    drop(server);
    // An operator's data: the demo's products gone, its issuers kept.
    let connection = rusqlite::Connection::open(&db).unwrap();
    connection
        .execute_batch(
            "PRAGMA foreign_keys = OFF; DELETE FROM event_items; DELETE FROM events;
             DELETE FROM scans; DELETE FROM units; DELETE FROM recalls; DELETE FROM lots;
             DELETE FROM products;",
        )
        .unwrap();
    drop(connection);
    let server = start(config(dir.path(), Some(Seed::Demo)));
    assert_eq!(count(&db, "products"), 0, "the demo data came back");
    assert_eq!(server.portal.stamps, 0);
}

fn file_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

fn assert_refused_and_kept(dir: &Path, what: &str) -> String {
    let db = dir.join("portal.sqlite");
    let before = file_bytes(&db);
    let message = match try_start(config(dir, Some(Seed::Demo))) {
        Ok(_) => panic!("a {what} database was served"),
        Err(message) => message,
    };
    for advice in ["remove", "delete"] {
        assert!(!message.contains(advice), "{message}");
    }
    assert!(message.contains("portal.sqlite"), "{message}");
    assert_eq!(file_bytes(&db), before, "the {what} file was changed");
    message
}

#[test]
fn a_corrupt_database_is_refused_and_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("portal.sqlite");
    std::fs::write(&db, "not a database, but someone's notes\n".repeat(200)).unwrap();
    let message = assert_refused_and_kept(dir.path(), "garbage");
    assert!(message.contains("damaged"), "{message}");

    // A real database with pages overwritten in the middle.
    std::fs::remove_file(&db).unwrap();
    let connection = rusqlite::Connection::open(&db).unwrap();
    connection
        .execute_batch(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT);
             CREATE INDEX notes_by_text ON notes (text);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
             INSERT INTO notes SELECT i, printf('note %d', i) FROM n;",
        )
        .unwrap();
    drop(connection);
    let mut bytes = file_bytes(&db);
    let page = 4096;
    bytes[3 * page..5 * page].fill(0x5a);
    std::fs::write(&db, &bytes).unwrap();
    let message = assert_refused_and_kept(dir.path(), "damaged");
    assert!(message.contains("damaged"), "{message}");
}

#[test]
fn a_database_from_a_newer_schema_is_refused_and_left_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("portal.sqlite");
    let connection = rusqlite::Connection::open(&db).unwrap();
    connection
        .execute_batch("CREATE TABLE products (gtin TEXT); PRAGMA user_version = 99;")
        .unwrap();
    drop(connection);
    let message = assert_refused_and_kept(dir.path(), "newer");
    assert!(message.contains("schema version 99"), "{message}");
}

fn post_scan(base: &str, serial: &str, timeout: Duration) -> Reply {
    let started = Instant::now();
    let mut response = agent(timeout)
        .post(format!("{base}/api/v1/scans"))
        .header("Content-Type", "application/json")
        .send(format!(
            r#"{{"gtin":"{HONEY}","lot":"{HONEY_LOT}","serial":"{serial}"}}"#
        ))
        .expect("the portal answers the scan");
    Reply {
        status: response.status().as_u16(),
        content_type: String::new(),
        body: response.body_mut().read_to_string().unwrap_or_default(),
        took: started.elapsed(),
    }
}

#[test]
fn a_held_write_lock_does_not_freeze_static_files() {
    let dir = tempfile::tempdir().unwrap();
    let timeout = Duration::from_secs(2);
    let server = start(Config {
        request_timeout: timeout,
        db_connections: 2,
        ..config(dir.path(), Some(Seed::Demo))
    });
    // Another program writing to the database, for longer than any request may wait.
    let other = rusqlite::Connection::open(&server.db).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let scans: Vec<_> = (0..6)
        .map(|_| {
            let base = server.portal.base.clone();
            std::thread::spawn(move || post_scan(&base, "A0003", Duration::from_secs(30)))
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    // While a scan waits for the lock on one connection: the pages, the health check and,
    // on the other connection, a record (readers never wait for a writer).
    let record = format!("/api/v1/records/{HONEY}.{HONEY_LOT}");
    for path in ["/index.html", "/healthz", record.as_str()] {
        let reply = server.get_with(path, &[]);
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        assert!(
            reply.took < Duration::from_millis(800),
            "{path} took {:?} behind the lock",
            reply.took
        );
        eprintln!("{path} under a held write lock: {:?}", reply.took);
    }
    for scan in scans {
        let reply = scan.join().unwrap();
        assert!(
            reply.took < timeout + Duration::from_millis(1500),
            "a scan waited {:?}",
            reply.took
        );
        assert!(
            matches!(reply.status, 503 | 504),
            "{}: {}",
            reply.status,
            reply.body
        );
        assert!(
            ["busy", "timeout"].contains(&reply.error_code().as_str()),
            "{}",
            reply.body
        );
    }
    other.execute_batch("ROLLBACK").unwrap();
    let counted = post_scan(&server.portal.base, "A0003", Duration::from_secs(30));
    assert_eq!(counted.status, 200, "{}", counted.body);
}

#[test]
fn a_database_deleted_while_serving_fails_the_health_check() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(config(dir.path(), Some(Seed::Demo)));
    assert_eq!(server.get("/healthz").json()["ok"], true);
    std::fs::remove_file(&server.db).unwrap();
    let health = server.get("/healthz");
    assert_eq!(health.status, 503, "{}", health.body);
    assert!(health.content_type.starts_with("application/json"));
    assert_eq!(health.error_code(), "unavailable");
    assert!(health.took < Duration::from_secs(2), "{:?}", health.took);
}

/// Adds lots of the demo honey straight to the database, as an import would.
fn add_lots(db: &Path, lots: &[&str]) {
    let connection = rusqlite::Connection::open(db).unwrap();
    for lot in lots {
        connection
            .execute(
                "INSERT INTO lots (gtin, lot, production_date, expiry_date)
                 VALUES (?1, ?2, '2026-04-01', '2028-04-01')",
                [HONEY, lot],
            )
            .unwrap();
    }
}

fn stamps_json(dir: &Path) -> Vec<Value> {
    serde_json::from_slice(&std::fs::read(dir.join("stamps/stamps.json")).unwrap()).unwrap()
}

#[test]
fn a_lot_with_a_slash_or_thousands_of_characters_does_not_stop_the_portal() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(config(dir.path(), Some(Seed::Demo)));
    let (db, before) = (server.db.clone(), server.portal.stamps);
    drop(server);
    let long = "A".repeat(3000);
    add_lots(&db, &["LOT/25", &long]);
    let server = start(config(dir.path(), Some(Seed::Demo)));
    // The slashed lot is a stamp like any other; no QR code holds the long one.
    assert_eq!(server.portal.stamps, before + 1);
    let stamps = stamps_json(dir.path());
    let slashed = stamps
        .iter()
        .find(|s| s["lot"] == "LOT/25")
        .expect("a stamp for LOT/25");
    assert!(stamps.iter().all(|s| s["lot"] != long.as_str()));
    let png = slashed["png"].as_str().unwrap();
    assert!(dir.path().join("stamps").join(png).is_file(), "{png}");
    let served = server.get_with(&format!("/stamps/{png}"), &[]);
    assert_eq!(served.status, 200);
    assert_eq!(served.content_type, "image/png");
}

/// Reads until the portal closes the connection; how long that took, or None if it did not
/// within `limit`.
fn closed_within(stream: &mut std::net::TcpStream, limit: Duration) -> Option<Duration> {
    use std::io::Read;
    let started = Instant::now();
    let mut buffer = [0u8; 4096];
    while started.elapsed() < limit {
        stream
            .set_read_timeout(Some(
                limit
                    .saturating_sub(started.elapsed())
                    .max(Duration::from_millis(1)),
            ))
            .unwrap();
        match stream.read(&mut buffer) {
            Ok(0) => return Some(started.elapsed()),
            Ok(_) => continue,
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return None;
            }
            Err(_) => return Some(started.elapsed()),
        }
    }
    None
}

#[test]
fn slow_header_connections_are_closed_within_the_header_timeout() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let timeout = Duration::from_millis(500);
    let server = start(Config {
        header_timeout: timeout,
        ..config(dir.path(), Some(Seed::Demo))
    });
    let addr = server.portal.base.trim_start_matches("http://").to_string();
    let connect = || std::net::TcpStream::connect(&addr).unwrap();
    let mut held: Vec<std::net::TcpStream> = Vec::new();
    for i in 0..300 {
        let mut stream = connect();
        // A third send nothing, the rest half a request.
        if i % 3 != 0 {
            stream
                .write_all(b"GET /index.html HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
        }
        held.push(stream);
    }
    // And one idle between requests on a kept-alive connection.
    let mut idle = connect();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut answer = [0u8; 1024];
    assert!(idle.read(&mut answer).unwrap() > 0);
    held.push(idle);
    let limit = timeout + Duration::from_secs(3);
    for (i, stream) in held.iter_mut().enumerate() {
        assert!(
            closed_within(stream, limit).is_some(),
            "connection {i} still open after {limit:?}"
        );
    }
    // The portal still serves.
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn oversized_headers_get_a_json_431() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(config(dir.path(), Some(Seed::Demo)));
    let cookie = "a".repeat(40 * 1024);
    let big = server.get_with("/index.html", &[("Cookie", cookie.as_str())]);
    assert_eq!(big.status, 431, "{}", big.body);
    assert_eq!(big.error_code(), "headers_too_large");
    let names: Vec<String> = (0..150).map(|i| format!("x-header-{i}")).collect();
    let many: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "1")).collect();
    let many = server.get_with("/index.html", &many);
    assert_eq!(many.status, 431, "{}", many.body);
    assert_eq!(many.error_code(), "headers_too_large");
}

/// The built binary serving a seeded database in `dir`, and its base URL.
fn spawn_portal(dir: &Path) -> (std::process::Child, String) {
    use std::io::BufRead;
    let config = config(dir, Some(Seed::Demo));
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tem-portal"))
        .args(["--addr", "127.0.0.1:0", "--seed", "demo", "--db"])
        .arg(config.db.to_string())
        .arg("--www")
        .arg(&config.www)
        .arg("--pkg")
        .arg(&config.pkg)
        .arg("--stamps")
        .arg(&config.stamps)
        .arg("--root-key")
        .arg(&config.root_key)
        .env("TEM_LOG", "info")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("the portal logs where it listens")
            .unwrap();
        if let Some(at) = line.find("base_url=") {
            break line[at + "base_url=".len()..]
                .split_whitespace()
                .next()
                .unwrap()
                .trim_matches('"')
                .to_string();
        }
    };
    // Keep reading, so the portal never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, base)
}

fn signal(child: &std::process::Child, signal: libc::c_int) {
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    // SAFETY: kill(2) on the pid of a child this test spawned and has not reaped.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
}

fn exit_within(child: &mut std::process::Child, limit: Duration) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("the portal did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn sigterm_lets_the_request_in_flight_finish_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, base) = spawn_portal(dir.path());
    // A scan held up by another program's write lock is the request in flight.
    let other = rusqlite::Connection::open(dir.path().join("portal.sqlite")).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let scan = {
        let base = base.clone();
        std::thread::spawn(move || post_scan(&base, "A0003", Duration::from_secs(30)))
    };
    std::thread::sleep(Duration::from_millis(500));
    signal(&child, libc::SIGTERM);
    std::thread::sleep(Duration::from_millis(300));
    let addr = base.trim_start_matches("http://");
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "still accepting after SIGTERM"
    );
    other.execute_batch("ROLLBACK").unwrap();
    let reply = scan.join().unwrap();
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["count"], 1);
    assert_eq!(
        exit_within(&mut child, Duration::from_secs(10)).code(),
        Some(0)
    );
}

#[test]
fn sigint_stops_an_idle_portal_with_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let (mut child, _base) = spawn_portal(dir.path());
    signal(&child, libc::SIGINT);
    assert_eq!(
        exit_within(&mut child, Duration::from_secs(10)).code(),
        Some(0)
    );
}

#[test]
fn the_records_api_refuses_what_the_resolver_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(config(dir.path(), Some(Seed::Demo)));
    for (path, code) in [
        ("/api/v1/records/08936012345677.MO2604", "check_digit"),
        ("/api/v1/records/08936012345677/MO2604", "check_digit"),
        ("/01/08936012345677/10/MO2604", "check_digit"),
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 400, "{path}: {}", reply.body);
        assert_eq!(reply.error_code(), code, "{path}: {}", reply.body);
    }
    // A control character, and a lot past GS1's 20 characters: refused alike everywhere.
    for lot in ["MO%01", "ABCDEFGHIJKLMNOPQRSTU"] {
        let codes: Vec<(u16, String)> = [
            format!("/api/v1/records/{HONEY}.{lot}"),
            format!("/api/v1/records/{HONEY}/{lot}"),
            format!("/01/{HONEY}/10/{lot}"),
            format!("/api/v1/recalls?gtin={HONEY}&lot={lot}"),
        ]
        .iter()
        .map(|path| {
            let reply = server.get(path);
            (reply.status, reply.error_code())
        })
        .collect();
        assert!(codes.iter().all(|c| *c == codes[0]), "{lot}: {codes:?}");
        assert_eq!(codes[0].0, 400, "{lot}: {codes:?}");
    }
}

#[test]
fn a_lot_containing_a_dot_is_reachable_through_the_records_api() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(config(dir.path(), Some(Seed::Demo)));
    let db = server.db.clone();
    drop(server);
    add_lots(&db, &["MO.2604", "LOT/25"]);
    let server = start(config(dir.path(), Some(Seed::Demo)));
    for (path, lot) in [
        (format!("/api/v1/records/{HONEY}/MO.2604"), "MO.2604"),
        (format!("/api/v1/records/{HONEY}/LOT%2F25"), "LOT/25"),
        (
            format!("/api/v1/records/{HONEY}/{HONEY_LOT}/A0001"),
            HONEY_LOT,
        ),
    ] {
        let reply = server.get(&path);
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        assert_eq!(reply.json()["lot"]["lot"], lot, "{path}");
    }
    // The dotted form, by the id stamps.json gives, URL-encoded as the widget's harness does.
    for stamp in stamps_json(dir.path()) {
        let id = stamp["record_id"].as_str().unwrap();
        let reply = server.get(&format!(
            "/api/v1/records/{}",
            tem_core::payload::percent_encode(id)
        ));
        assert_eq!(reply.status, 200, "{id}: {}", reply.body);
        assert_eq!(reply.json()["id"], id);
        assert_eq!(reply.json()["lot"]["lot"], stamp["lot"], "{id}");
    }
}

#[test]
fn an_over_long_name_is_not_found_rather_than_a_500() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(config(dir.path(), Some(Seed::Demo)));
    for path in [
        format!("/{}", "a".repeat(256)),
        format!("/pkg/{}.wasm", "b".repeat(300)),
        format!("/stamps/{}.png", "c".repeat(300)),
        format!("/media/{}.svg", "d".repeat(300)),
    ] {
        let reply = server.get(&path);
        assert_eq!(reply.status, 404, "{}: {}", &path[..12], reply.body);
        assert_eq!(reply.error_code(), "not_found");
    }
    // Escaped, the same name is as long as what it stands for: still a name ServeDir may try.
    assert_eq!(server.get(&format!("/{}", "%61".repeat(200))).status, 404);
}

#[test]
fn a_browser_opening_a_too_long_deep_link_gets_a_page_not_json() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(config(dir.path(), Some(Seed::Demo)));
    let link = format!("/?code={}", "x".repeat(2100));
    let browser = server.get_with(
        &link,
        &[("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")],
    );
    assert_eq!(browser.status, 414);
    assert!(
        browser.content_type.starts_with("text/html"),
        "{}",
        browser.content_type
    );
    assert!(
        browser.body.contains("Liên kết quá dài"),
        "{}",
        browser.body
    );
    assert!(browser.body.contains("lang=\"en\""), "{}", browser.body);
    let client = server.get(&link);
    assert_eq!(client.status, 414);
    assert_eq!(client.error_code(), "too_long");
}

fn post_capture(base: &str, token: &str, body: &[u8]) -> Reply {
    let started = Instant::now();
    let mut response = agent(Duration::from_secs(30))
        .post(format!("{base}/capture"))
        .header("Content-Type", "application/ld+json")
        .header("Authorization", &format!("Bearer {token}"))
        .send(body)
        .expect("the portal answers");
    Reply {
        status: response.status().as_u16(),
        content_type: response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string(),
        body: response.body_mut().read_to_string().unwrap_or_default(),
        took: started.elapsed(),
    }
}

#[test]
fn capture_without_the_schema_is_off_rather_than_unchecked() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(config(dir.path(), Some(Seed::Demo)));
    let token = tem_portal::add_enterprise(
        &Location::Sqlite(server.db.clone()),
        "bamien",
        "Ba Miền",
        &["893600900".into()],
    )
    .unwrap();
    let reply = post_capture(&server.portal.base, &token, b"{}");
    assert_eq!(reply.status, 503, "{}", reply.body);
    assert!(
        reply.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("--epcis-schema")
    );
}

#[test]
fn a_schema_that_is_not_the_epcis_one_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema.json");
    std::fs::write(&schema, r#"{"type": "object"}"#).unwrap();
    let error = try_start(Config {
        epcis_schema: Some(schema),
        ..config(dir.path(), None)
    })
    .err()
    .expect("refused");
    assert!(error.contains("does not define EPCISDocument"), "{error}");
}

#[test]
fn an_oversized_capture_is_refused_with_json_and_the_portal_stays_up() {
    let dir = tempfile::tempdir().unwrap();
    let Some(schema) = tem_corpus::require("epcis/EPCIS-JSON-Schema.json") else {
        return;
    };
    let server = start(Config {
        epcis_schema: Some(schema),
        ..config(dir.path(), Some(Seed::Demo))
    });
    let token = tem_portal::add_enterprise(
        &Location::Sqlite(server.db.clone()),
        "bamien",
        "Ba Miền",
        &["893600900".into()],
    )
    .unwrap();
    let huge = vec![b' '; tem_core::epcis::MAX_DOCUMENT_BYTES + 1];
    let reply = post_capture(&server.portal.base, &token, &huge);
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert!(reply.content_type.starts_with("application/json"));
    let truncated = post_capture(
        &server.portal.base,
        &token,
        br#"{"type": "EPCISDocument", "epcisBo"#,
    );
    assert_eq!(truncated.status, 400, "{}", truncated.body);
    assert_eq!(truncated.error_code(), "invalid_document");
    assert_eq!(server.get("/healthz").status, 200);
}
