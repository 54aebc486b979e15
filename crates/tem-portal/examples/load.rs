//! A bounded load test of the portal on loopback: signed-record fetches and scans at
//! concurrency 1, 16 and 64, and EPCIS capture (one event per document, each re-signing the
//! lot's records) at 1 and 4, reporting requests per second and latency percentiles, and
//! checking that every scan was counted and every captured event stored exactly once. It
//! measures; it does not pass or fail on speed — only on a wrong count or a failed request.
//! Capture needs the EPCIS schema of the shared corpus; without it that part is left out.
//!
//! By default one portal runs over a new SQLite file. With `--postgres URL` two portal
//! instances run over that PostgreSQL database (seeded by the first when new), and requests
//! alternate between them, so counts are exact only if the instances share their writes.
//!
//!   cargo run --release -p tem-portal --example load [REQUESTS_PER_LEVEL] [--postgres URL]

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tem_portal::Config;
use tem_portal::db::Location;

const GTIN: &str = "08936012345674";
/// A unit no seeded scan touches, so its count is exactly what this run sent.
const SERIAL: &str = "A0003";
const LEVELS: &[usize] = &[1, 16, 64];

/// The portals under load: requests go to each in turn.
struct Portals {
    bases: Vec<String>,
    next: AtomicUsize,
}

impl Portals {
    fn base(&self) -> &str {
        &self.bases[self.next.fetch_add(1, Ordering::Relaxed) % self.bases.len()]
    }
}

fn main() -> Result<(), String> {
    let mut per_level = 2000;
    let mut postgres = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--postgres" => postgres = Some(args.next().ok_or("--postgres needs a URL")?),
            n => per_level = n.parse().map_err(|_| format!("not a count: {n}"))?,
        }
    }
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let schema = tem_corpus::shared().join("corpus/epcis/EPCIS-JSON-Schema.json");
    let schema = schema.exists().then_some(schema);
    let (db, instances, store) = match postgres {
        Some(url) => (
            Location::Postgres(url),
            2,
            "PostgreSQL, two portal instances",
        ),
        None => (
            Location::Sqlite(dir.path().join("portal.sqlite")),
            1,
            "SQLite, one portal instance",
        ),
    };
    // One after the other: the second finds the database the first seeded.
    let bases = (0..instances)
        .map(|n| start(&dir.path().join(format!("portal-{n}")), &db, schema.clone()))
        .collect::<Result<Vec<_>, _>>()?;
    let portals = Portals {
        bases,
        next: AtomicUsize::new(0),
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_idle_connections_per_host(128)
        .build()
        .into();
    let record =
        |base: &str| format!("{base}/01/{GTIN}/10/MO2604/21/{SERIAL}?linkType=gs1:traceability");
    let body = format!(r#"{{"gtin":"{GTIN}","lot":"MO2604","serial":"{SERIAL}"}}"#);
    let history = |agent: &ureq::Agent| -> Result<u64, String> {
        let base = portals.base();
        let history = json_of(
            agent
                .get(format!("{base}/api/v1/scans?gtin={GTIN}&serial={SERIAL}"))
                .call(),
        )?;
        Ok(history["count"].as_u64().unwrap_or(0))
    };
    // A database kept from an earlier run holds that run's scans.
    let counted_before = history(&agent)?;
    let mut sent_scans = 0;
    println!("portal load on loopback ({store}), {per_level} requests per row");
    println!(
        "{:<14} {:>11} {:>9} {:>9} {:>9} {:>9}",
        "kind", "concurrency", "req/s", "p50 ms", "p99 ms", "max ms"
    );
    for &concurrency in LEVELS {
        let fetch = |agent: &ureq::Agent| {
            agent
                .get(record(portals.base()))
                .header("Accept", "application/jose")
                .call()
                .map(answered)
        };
        report(
            "record (JWS)",
            concurrency,
            run(&agent, concurrency, per_level, fetch)?,
        );
        let post = |agent: &ureq::Agent| {
            agent
                .post(format!("{}/api/v1/scans", portals.base()))
                .header("Content-Type", "application/json")
                .send(body.as_str())
                .map(answered)
        };
        report(
            "scan (POST)",
            concurrency,
            run(&agent, concurrency, per_level, post)?,
        );
        sent_scans += per_level;
    }
    let counted = history(&agent)? - counted_before;
    println!("scans sent {sent_scans}, counted {counted}");
    if counted != sent_scans as u64 {
        return Err(format!(
            "lost or doubled scans: sent {sent_scans}, counted {counted}"
        ));
    }
    match schema {
        Some(_) => capture(&agent, &portals, &db, per_level / 10),
        None => {
            println!(
                "capture left out: no EPCIS schema under {}",
                tem_corpus::shared().display()
            );
            Ok(())
        }
    }
}

/// `per_level` documents at each capture concurrency, each one ObjectEvent observing the
/// honey lot at its bottling plant; then the lot's record must hold exactly that many more.
fn capture(
    agent: &ureq::Agent,
    portals: &Portals,
    db: &Location,
    per_level: usize,
) -> Result<(), String> {
    // A name of this run's own, as event IDs are: a kept database knows the earlier ones.
    let run_id = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| e.to_string())?
        .as_secs()
        & 0xff_ffff;
    let token = tem_portal::add_enterprise(
        db,
        &format!("load-{run_id:06x}"),
        "Load test",
        &["893601234".into()],
    )
    .map_err(|e| e.to_string())?;
    let events = |agent: &ureq::Agent| -> Result<usize, String> {
        let lot = format!(
            "{}/01/{GTIN}/10/MO2604?linkType=gs1:traceability",
            portals.base()
        );
        let record = json_of(agent.get(&lot).header("Accept", "application/json").call())?;
        Ok(record["events"].as_array().map_or(0, Vec::len))
    };
    let before = events(agent)?;
    let numbered = AtomicUsize::new(0);
    let post = |agent: &ureq::Agent| {
        let n = numbered.fetch_add(1, Ordering::Relaxed);
        let document = serde_json::json!({
            "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
            "type": "EPCISDocument",
            "schemaVersion": "2.0",
            "creationDate": "2026-09-20T08:00:00+07:00",
            "epcisBody": {"eventList": [{
                "type": "ObjectEvent",
                "eventID": format!("urn:uuid:00000000-0000-4000-8000-{run_id:06x}{n:06x}"),
                "eventTime": format!("2026-09-20T{:02}:{:02}:00+07:00", 8 + n / 60 % 10, n % 60),
                "eventTimeZoneOffset": "+07:00",
                "action": "OBSERVE",
                "bizStep": "inspecting",
                "quantityList": [{"epcClass": format!("https://id.gs1.org/01/{GTIN}/10/MO2604")}],
                "bizLocation": {"id": "urn:epc:id:sgln:893601234.267.0"}
            }]}
        });
        agent
            .post(format!("{}/capture", portals.base()))
            .header("Content-Type", "application/ld+json")
            .header("Authorization", &format!("Bearer {token}"))
            .send(document.to_string().as_str())
            .map(answered)
    };
    let mut sent = 0;
    for concurrency in [1, 4] {
        report(
            "capture (POST)",
            concurrency,
            run(agent, concurrency, per_level, post)?,
        );
        sent += per_level;
    }
    let stored = events(agent)? - before;
    println!("events captured {sent}, in the record {stored}");
    if stored != sent {
        return Err(format!(
            "lost or doubled events: captured {sent}, in the record {stored}"
        ));
    }
    Ok(())
}

fn start(
    dir: &std::path::Path,
    db: &Location,
    epcis_schema: Option<std::path::PathBuf>,
) -> Result<String, String> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../trust/demo-root.jwk");
    let config = Config {
        addr: "127.0.0.1:0".parse().map_err(|_| "address")?,
        db: db.clone(),
        www: dir.join("www"),
        pkg: dir.join("pkg"),
        stamps: dir.join("stamps"),
        base_url: None,
        root_key: root,
        seed: Some(tem_portal::Seed::Demo),
        epcis_schema,
        ..Config::default()
    };
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = match tokio::runtime::Runtime::new() {
            Ok(runtime) => runtime,
            Err(e) => return drop(sender.send(Err(e.to_string()))),
        };
        runtime.block_on(async move {
            match tem_portal::start(config).await {
                Ok(portal) => {
                    let _ = sender.send(Ok(portal.base_url().to_string()));
                    let _ = portal.run(std::future::pending()).await;
                }
                Err(e) => drop(sender.send(Err(e.to_string()))),
            }
        });
    });
    receiver.recv().map_err(|e| e.to_string())?
}

/// A reply's status and body, as `run` judges it.
fn answered(mut reply: ureq::http::Response<ureq::Body>) -> (u16, String) {
    let status = reply.status().as_u16();
    (
        status,
        reply.body_mut().read_to_string().unwrap_or_default(),
    )
}

/// A reply's body read as JSON.
fn json_of(
    reply: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<serde_json::Value, String> {
    let mut reply = reply.map_err(|e| e.to_string())?;
    let text = reply
        .body_mut()
        .read_to_string()
        .map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| e.to_string())
}

/// `total` requests spread over `concurrency` threads; each request's latency.
fn run<F>(
    agent: &ureq::Agent,
    concurrency: usize,
    total: usize,
    request: F,
) -> Result<(Duration, Vec<Duration>), String>
where
    F: Fn(&ureq::Agent) -> Result<(u16, String), ureq::Error> + Sync,
{
    let next = AtomicUsize::new(0);
    let latencies = Mutex::new(Vec::with_capacity(total));
    let failure = Mutex::new(None);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..concurrency {
            scope.spawn(|| {
                while next.fetch_add(1, Ordering::Relaxed) < total {
                    let sent = Instant::now();
                    match request(agent) {
                        Ok((200..=299, _)) => latencies
                            .lock()
                            .map(|mut l| l.push(sent.elapsed()))
                            .unwrap_or(()),
                        Ok((status, body)) => {
                            *failure.lock().unwrap_or_else(|p| p.into_inner()) =
                                Some(format!("{status}: {body}"))
                        }
                        Err(e) => {
                            *failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.to_string())
                        }
                    }
                }
            });
        }
    });
    let elapsed = started.elapsed();
    if let Some(failure) = failure.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(format!("a request failed: {failure}"));
    }
    Ok((
        elapsed,
        latencies.into_inner().unwrap_or_else(|p| p.into_inner()),
    ))
}

fn report(kind: &str, concurrency: usize, (elapsed, mut latencies): (Duration, Vec<Duration>)) {
    latencies.sort_unstable();
    let at = |q: f64| {
        let index = ((latencies.len() as f64 - 1.0) * q).round() as usize;
        latencies
            .get(index)
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let rate = latencies.len() as f64 / elapsed.as_secs_f64();
    println!(
        "{kind:<14} {concurrency:>11} {rate:>9.0} {:>9.2} {:>9.2} {:>9.2}",
        at(0.5),
        at(0.99),
        at(1.0)
    );
}
