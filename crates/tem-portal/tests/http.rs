//! The portal as the widget meets it: a real server on an ephemeral port, spoken to over HTTP,
//! over a SQLite file in a temporary directory, or, with `TEM_TEST_POSTGRES` set to a server's
//! URL (`scripts/test.sh` starts one), over a PostgreSQL database of the test's own.

use std::path::{Path, PathBuf};

use serde_json::Value;
use tem_core::TraceRecord;
use tem_portal::Config;
use tem_portal::db::{Location, SqlExt};

mod common;

/// The demo stamp: Hưng Yên longan-flower honey, serialised.
const HONEY: &str = "08936012345674";
const HONEY_LOT: &str = "MO2604";
/// Thanh Hóa nem chua, whose lot NC2611-07 is recalled.
const NEM_CHUA: &str = "08936034563056";

struct Server {
    base: String,
    dir: tempfile::TempDir,
    agent: ureq::Agent,
}

struct Reply {
    status: u16,
    headers: ureq::http::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    fn error_code(&self) -> String {
        self.json()["error"]["code"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

fn config(dir: &Path) -> Config {
    Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        db: database(dir),
        www: dir.join("www"),
        pkg: dir.join("pkg"),
        stamps: dir.join("stamps"),
        base_url: None,
        root_key: Path::new(env!("CARGO_MANIFEST_DIR")).join("../../trust/demo-root.jwk"),
        embed_origins: vec![SHOP.into()],
        seed: Some(tem_portal::Seed::Demo),
        // Capture's own tests insist on it; the rest run without the corpus too.
        epcis_schema: Some(epcis_schema()).filter(|path| path.exists()),
        ..Config::default()
    }
}

/// The database of the test whose files are in `dir`: the same one each time it is asked for.
fn database(dir: &Path) -> Location {
    // Nested, to check the parent directories are created.
    common::database(dir, dir.join("var/data/portal.sqlite"))
}

/// The official EPCIS 2.0 JSON schema in the shared corpus, wherever it is.
fn epcis_schema() -> PathBuf {
    tem_corpus::shared().join("corpus/epcis/EPCIS-JSON-Schema.json")
}

/// The retailer whose pages may frame the embed.
const SHOP: &str = "https://shop.example";

fn start_in(dir: tempfile::TempDir) -> Server {
    std::fs::create_dir_all(dir.path().join("www")).unwrap();
    std::fs::create_dir_all(dir.path().join("pkg")).unwrap();
    std::fs::write(
        dir.path().join("www/index.html"),
        "<!doctype html><title>tem</title>",
    )
    .unwrap();
    std::fs::write(dir.path().join("pkg/tem_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    let config = config(dir.path());
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async move {
            match tem_portal::start(config).await {
                Ok(portal) => {
                    sender.send(Ok(portal.base_url().to_string())).unwrap();
                    portal.run(std::future::pending()).await.unwrap();
                }
                Err(e) => sender.send(Err(e.to_string())).unwrap(),
            }
        });
    });
    let base = receiver.recv().unwrap().expect("portal starts");
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    Server { base, dir, agent }
}

fn start() -> Server {
    start_in(tempfile::tempdir().unwrap())
}

impl Server {
    fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = self.agent.get(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut response = request.call().expect("the portal answers");
        Reply {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.body_mut().read_to_string().unwrap_or_default(),
        }
    }

    fn post(&self, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
        let mut request = self.agent.post(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut response = request.send(body).expect("the portal answers");
        Reply {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.body_mut().read_to_string().unwrap_or_default(),
        }
    }

    fn get(&self, path: &str) -> Reply {
        self.get_with(path, &[("Accept", "application/json")])
    }

    fn record(&self, path: &str) -> TraceRecord {
        let reply = self.get(path);
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        serde_json::from_str(&reply.body).unwrap()
    }

    fn stamps_dir(&self) -> PathBuf {
        self.dir.path().join("stamps")
    }
}

#[test]
fn digital_link_with_serial_resolves_to_the_serialised_record() {
    let server = start();
    let record = server.record(&format!(
        "/01/{HONEY}/10/{HONEY_LOT}/21/A0001?linkType=gs1:traceability"
    ));
    assert_eq!(record.id, format!("{HONEY}.{HONEY_LOT}.A0001"));
    assert_eq!(record.serial.as_deref(), Some("A0001"));
    assert_eq!(record.product.name.vi, "Mật ong hoa nhãn Hưng Yên");
    assert_eq!(record.lot.lot, HONEY_LOT);
    assert!(
        (4..=9).contains(&record.events.len()),
        "{}",
        record.events.len()
    );
    let times: Vec<i64> = record
        .events
        .iter()
        .map(|e| tem_core::time::rfc3339_to_unix(&e.time).unwrap())
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] <= w[1]),
        "events in time order"
    );
    assert!(record.events.iter().all(|e| e.time.ends_with("+07:00")));
    let packing = record
        .events
        .iter()
        .find(|e| e.biz_step.as_deref() == Some("packing"))
        .expect("a packing event");
    assert_eq!(packing.event_type, "AggregationEvent");
    assert!(packing.inputs.contains(&format!("(01){HONEY}(21)A0001")));
    assert!(
        packing.outputs[0].starts_with("(00)0893"),
        "{:?}",
        packing.outputs
    );
}

#[test]
fn record_by_id_is_the_record_the_resolver_gives() {
    let server = start();
    let by_id = server.record(&format!("/api/v1/records/{HONEY}.{HONEY_LOT}"));
    let resolved = server.record(&format!("/01/{HONEY}/10/{HONEY_LOT}"));
    assert_eq!(by_id.id, format!("{HONEY}.{HONEY_LOT}"));
    assert_eq!(by_id.serial, None);
    assert_eq!(by_id.events, resolved.events);
}

#[test]
fn thirteen_digit_gtin_is_padded() {
    let server = start();
    let record = server.record(&format!("/01/{}/10/{HONEY_LOT}", &HONEY[1..]));
    assert_eq!(record.product.gtin, HONEY);
}

#[test]
fn serial_only_link_finds_the_unit_lot() {
    let server = start();
    let record = server.record(&format!("/01/{HONEY}/21/A0002"));
    assert_eq!(record.lot.lot, HONEY_LOT);
    assert_eq!(record.id, format!("{HONEY}.{HONEY_LOT}.A0002"));
}

#[test]
fn linkset_lists_traceability_pip_and_recall_status() {
    let server = start();
    let reply = server.get(&format!("/01/{HONEY}/10/{HONEY_LOT}?linkType=all"));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), "application/linkset+json");
    let linkset = reply.json();
    let anchor = format!("{}/01/{HONEY}/10/{HONEY_LOT}", server.base);
    assert_eq!(linkset["linkset"][0]["anchor"], anchor.as_str());
    // The lot's own links come first, then the GTIN's (each level has its own anchor): the
    // link of a type is the most specific one.
    let href = |relation: &str| {
        linkset["linkset"]
            .as_array()
            .into_iter()
            .flatten()
            .find_map(|links| links[format!("https://gs1.org/voc/{relation}")][0]["href"].as_str())
            .unwrap_or_else(|| panic!("no {relation} link"))
            .to_string()
    };
    // Every advertised link must work.
    let traceability = href("traceability");
    let record = server.record(traceability.trim_start_matches(&server.base));
    assert_eq!(record.lot.lot, HONEY_LOT);
    assert!(href("pip").starts_with(&format!("{}/?code=http", server.base)));
    let recalls = server.get(href("recallStatus").trim_start_matches(&server.base));
    assert_eq!(recalls.status, 200);
    assert_eq!(recalls.json()["recalls"], serde_json::json!([]));
}

#[test]
fn browser_opening_a_stamp_is_sent_to_the_widget() {
    let server = start();
    let path = format!("/01/{HONEY}/10/{HONEY_LOT}/21/A0001");
    let reply = server.get_with(&path, &[("Accept", "text/html,application/xhtml+xml")]);
    assert_eq!(reply.status, 303);
    assert!(
        reply.header("vary").contains("accept"),
        "caches keep JSON and redirect apart"
    );
    // Absolute, as every GS1 resolver's redirects are.
    let expected = format!(
        "{}/?code={}",
        server.base,
        tem_core::payload::percent_encode(&format!("{}{path}", server.base))
    );
    assert_eq!(reply.header("location"), expected);
    let page = server.get_with(
        expected.trim_start_matches(&server.base),
        &[("Accept", "text/html")],
    );
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<title>tem</title>"));
    assert_eq!(page.header("cache-control"), "no-cache");
}

#[test]
fn unknown_codes_are_404_json() {
    let server = start();
    for path in [
        "/01/08936012345681".to_string(),
        format!("/01/{HONEY}/10/NOLOT"),
        format!("/01/{HONEY}/10/{HONEY_LOT}/21/Z9999"),
        // A real unit, but of the other lot.
        format!("/01/{HONEY}/10/MO2609/21/A0001"),
        format!("/api/v1/records/{HONEY}.NOLOT"),
    ] {
        let reply = server.get(&path);
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(reply.error_code(), "not_found", "{path}");
        assert!(reply.header("content-type").starts_with("application/json"));
    }
    // A resolver falls back to the GTIN's links for a lot it does not know: a browser still
    // goes to the widget, given the code as scanned, whose record lookup is the 404 above.
    let unknown_lot = format!("/01/{HONEY}/10/NOLOT");
    let browser = server.get_with(&unknown_lot, &[("Accept", "text/html")]);
    assert_eq!(browser.status, 303);
    assert!(
        browser
            .header("location")
            .ends_with(&tem_core::payload::percent_encode(&format!(
                "{}{unknown_lot}",
                server.base
            ))),
        "{}",
        browser.header("location")
    );
    let unknown_gtin = server.get_with("/01/08936012345681", &[("Accept", "text/html")]);
    assert_eq!(unknown_gtin.status, 404, "nothing to fall back to");
}

#[test]
fn bad_check_digit_is_400_naming_the_expected_digit() {
    let server = start();
    let reply = server.get("/01/08936012345677");
    assert_eq!(reply.status, 400);
    assert_eq!(reply.error_code(), "check_digit");
    let message = reply.json()["error"]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(message.contains('4') && message.contains('7'), "{message}");
}

#[test]
fn malformed_requests_are_400_json_with_codes() {
    let server = start();
    for (path, code) in [
        ("/01/89360123", "check_digit"),
        ("/01/0893601234567X", "charset"),
        ("/api/v1/records/not-a-record", "invalid_record_id"),
        ("/api/v1/recalls", "missing_parameter"),
        ("/api/v1/recalls?gtin=08936012345677", "check_digit"),
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 400, "{path}: {}", reply.body);
        assert_eq!(reply.error_code(), code, "{path}: {}", reply.body);
    }
}

#[test]
fn absurdly_long_paths_are_refused_cleanly() {
    let server = start();
    let lot = "A".repeat(3000);
    let reply = server.get(&format!("/01/{HONEY}/10/{lot}"));
    assert_eq!(reply.status, 414);
    assert_eq!(reply.error_code(), "too_long");
    let lot = "A".repeat(600);
    let reply = server.get(&format!("/api/v1/records/{HONEY}.{lot}"));
    assert_eq!(reply.status, 414);
}

#[test]
fn any_origin_may_read_the_api() {
    let server = start();
    let reply = server.get_with(
        &format!("/api/v1/records/{HONEY}.{HONEY_LOT}"),
        &[("Origin", "https://shop.example.vn")],
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("access-control-allow-origin"), "*");
    assert_eq!(reply.header("cache-control"), "public, max-age=60");
    let preflight = server
        .agent
        .run(
            ureq::http::Request::options(format!("{}/api/v1/recalls?gtin={HONEY}", server.base))
                .header("Origin", "https://shop.example.vn")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "x-tem-version")
                .body(())
                .unwrap(),
        )
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "*",
        "a retailer's page may preflight"
    );
}

#[test]
fn the_widget_is_sent_in_its_precompressed_form_to_browsers_that_take_it() {
    let server = start();
    let pkg = server.dir.path().join("pkg");
    std::fs::write(pkg.join("tem_bg.wasm.br"), "brotli bytes").unwrap();
    std::fs::write(pkg.join("tem_bg.wasm.gz"), "gzip bytes").unwrap();
    let brotli = server.get_with("/pkg/tem_bg.wasm", &[("Accept-Encoding", "gzip, br")]);
    assert_eq!(brotli.header("content-encoding"), "br");
    assert_eq!(brotli.body, "brotli bytes");
    let gzip = server.get_with("/pkg/tem_bg.wasm", &[("Accept-Encoding", "gzip")]);
    assert_eq!(gzip.header("content-encoding"), "gzip");
    assert_eq!(gzip.body, "gzip bytes");
    let plain = server.get_with("/pkg/tem_bg.wasm", &[]);
    assert_eq!(plain.header("content-encoding"), "");
    assert_eq!(plain.header("content-type"), "application/wasm");
    // A cache between the portal and a browser must not give one form to the other.
    for reply in [brotli, gzip, plain] {
        let vary: Vec<_> = reply
            .headers
            .get_all("vary")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        assert!(
            vary.join(",")
                .to_ascii_lowercase()
                .contains("accept-encoding"),
            "{vary:?}"
        );
    }
}

/// The repository's own pages, as the widget's build serves them.
fn with_real_pages(server: &Server) {
    let www = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../www");
    let served = server.dir.path().join("www");
    std::fs::create_dir_all(served.join("shop")).unwrap();
    for page in ["index.html", "embed.html", "shop/index.html"] {
        std::fs::copy(www.join(page), served.join(page)).unwrap();
    }
}

fn directive<'a>(csp: &'a str, name: &str) -> &'a str {
    csp.split(';')
        .map(str::trim)
        .find_map(|d| d.strip_prefix(name))
        .map_or("", str::trim)
}

#[test]
fn every_page_refuses_framing_but_the_embed_which_only_its_hosts_may_frame() {
    let server = start();
    with_real_pages(&server);
    for path in [
        "/",
        "/api/v1/recalls?gtin=08936034563056",
        "/pkg/tem_bg.wasm",
        "/nothing",
    ] {
        let reply = server.get_with(path, &[]);
        let csp = reply.header("content-security-policy");
        assert_eq!(directive(csp, "frame-ancestors"), "'none'", "{path}: {csp}");
        assert_eq!(
            directive(csp, "script-src"),
            "'self' 'wasm-unsafe-eval'",
            "{path}"
        );
        // Its own base URL besides 'self': the page may be opened under another name.
        assert_eq!(
            directive(csp, "connect-src"),
            format!("'self' {}", server.base),
            "{path}"
        );
        assert_eq!(reply.header("x-frame-options"), "DENY", "{path}");
        assert_eq!(reply.header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(reply.header("referrer-policy"), "no-referrer", "{path}");
        assert!(
            reply.header("permissions-policy").contains("camera=(self)"),
            "{path}"
        );
    }
    let embed = server.get_with("/embed?code=x", &[]);
    assert_eq!(embed.status, 200);
    let csp = embed.header("content-security-policy");
    assert_eq!(directive(csp, "frame-ancestors"), SHOP, "{csp}");
    assert_eq!(embed.header("x-frame-options"), "");
    assert!(
        embed
            .body
            .contains(&format!(r#"<meta name="tem-hosts" content="{SHOP}">"#)),
        "{}",
        embed.body
    );
}

#[test]
fn the_demo_shop_is_governed_as_a_retailer_s_page_that_allows_only_the_portal() {
    let server = start();
    with_real_pages(&server);
    let shop = server.get_with("/shop/", &[]);
    assert_eq!(shop.status, 200);
    let csp = shop.header("content-security-policy");
    let portal = &server.base;
    assert_eq!(
        directive(csp, "script-src"),
        format!("'self' {portal} 'wasm-unsafe-eval'")
    );
    assert_eq!(directive(csp, "connect-src"), portal.as_str());
    assert_eq!(directive(csp, "frame-src"), portal.as_str());
    assert!(!shop.body.contains("{{PORTAL}}"));
    assert!(
        shop.body.contains(&format!("{portal}/embed.js")),
        "{}",
        shop.body
    );
    assert!(shop.body.contains(&format!("{portal}/embed?code=")));
}

#[test]
fn a_shared_deep_link_names_the_product_before_the_widget_loads() {
    let server = start();
    with_real_pages(&server);
    let code = format!("{}/01/{HONEY}/10/{HONEY_LOT}", server.base);
    let deep_link = format!("/?code={}", tem_core::payload::percent_encode(&code));
    let page = server.get_with(&deep_link, &[]);
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains(r#"<meta property="og:title" content="Mật ong hoa nhãn"#),
        "{}",
        page.body
    );
    assert!(page.body.contains("application/json+oembed"));
    // The page carries the trust list, the one the portal serves, signed as it is.
    let served = server.get("/.well-known/tem/trust-list.jws").body;
    assert!(
        page.body.contains(&format!(
            r#"<script type="application/jose" id="tem-trust-list">{served}</script>"#
        )),
        "a deep link carries the trust list"
    );
    assert!(
        first_view(&page.body).contains("Mật ong hoa nhãn"),
        "{}",
        page.body
    );
    // The same code on another domain is not this portal's to describe.
    let elsewhere = format!(
        "/?code={}",
        tem_core::payload::percent_encode(&format!(
            "https://tem.example/01/{HONEY}/10/{HONEY_LOT}"
        ))
    );
    let page = server.get_with(&elsewhere, &[]);
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("og:title"), "{}", page.body);
    assert!(!page.body.contains("first-view"), "{}", page.body);
    // Markup in a code never reaches the page as markup.
    let hostile = server.get_with("/?code=%3Cscript%3Ealert(1)%3C%2Fscript%3E", &[]);
    assert!(!hostile.body.contains("<script>alert"));
}

/// The portal's rendering of a deep link's check in `page`, up to the widget's loading note.
fn first_view(page: &str) -> &str {
    let class = page
        .find(r#"class="tem-app first-view""#)
        .expect("a first view");
    let start = page[..class].rfind("<div").expect("the view's element");
    let end = page[start..]
        .find(r#"<p class="boot">"#)
        .expect("the loading note after it");
    &page[start..start + end]
}

#[test]
fn a_deep_link_s_first_response_shows_the_verdict_the_widget_would_give() {
    let server = start();
    with_real_pages(&server);
    let deep_link = |code: &str| format!("/?code={}", tem_core::payload::percent_encode(code));
    let lot = format!("{}/01/{HONEY}/10/{HONEY_LOT}", server.base);
    let page = server.get_with(&deep_link(&lot), &[("Accept-Language", "vi-VN,vi;q=0.9")]);
    assert_eq!(page.status, 200);
    assert!(page.header("vary").contains("accept-language"));
    let view = first_view(&page.body);
    assert!(view.contains(r#"lang="vi""#), "{view}");
    assert!(view.contains(r#"data-testid="verdict""#), "{view}");
    // A lot's stamp, which a copy cannot be told from: the widget's caution, with its reason.
    assert!(view.contains(">Cần lưu ý</h2>"), "{view}");
    assert!(
        view.contains(r#"data-check="ItemHistory" class="warning""#),
        "{view}"
    );
    // In the language the browser asks for first.
    let english = server.get_with(&deep_link(&lot), &[("Accept-Language", "en-GB,vi;q=0.5")]);
    let view = first_view(&english.body);
    assert!(view.contains(r#"lang="en""#), "{view}");
    assert!(view.contains(">Caution</h2>"), "{view}");
    // A record changed after it was signed is judged as the widget judges it.
    let tampered = format!("{}/01/{HONEY}/10/{HONEY_LOT}/21/A0005", server.base);
    let page = server.get_with(&deep_link(&tampered), &[]);
    let view = first_view(&page.body);
    assert!(view.contains("Không xác thực</h2>"), "{view}");
    assert!(!view.contains(r#"data-state="ok""#), "{view}");
    // Opening the page counts no check: a link preview is not a shopper.
    let history = server.get(&format!("/api/v1/scans?gtin={HONEY}&serial=A0005"));
    assert!(history.body.contains(r#""count":0"#), "{}", history.body);
    // A code the portal holds no record of gets the widget's own check only.
    let unknown = format!("{}/01/{HONEY}/10/NO-SUCH-LOT", server.base);
    let page = server.get_with(&deep_link(&unknown), &[]);
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("first-view"), "{}", page.body);
}

#[test]
fn oembed_answers_an_iframe_of_the_embed_for_a_link_of_this_portal() {
    let server = start();
    let code = format!("{}/01/{HONEY}/10/{HONEY_LOT}", server.base);
    let deep_link = format!(
        "{}/?code={}",
        server.base,
        tem_core::payload::percent_encode(&code)
    );
    for url in [&deep_link, &code] {
        let reply = server.get(&format!(
            "/oembed?format=json&maxwidth=300&url={}",
            tem_core::payload::percent_encode(url)
        ));
        assert_eq!(reply.status, 200, "{url}: {}", reply.body);
        let answer = reply.json();
        assert_eq!(answer["version"], "1.0");
        assert_eq!(answer["type"], "rich");
        assert_eq!(answer["width"], 300);
        let html = answer["html"].as_str().unwrap();
        let src = format!(
            "src=\"{}/embed?code={}\"",
            server.base,
            tem_core::payload::percent_encode(&code)
        );
        assert!(html.contains(&src), "{html}");
        assert!(answer["title"].as_str().unwrap().starts_with("Mật ong"));
    }
    let unknown = server.get("/oembed?url=https%3A%2F%2Felsewhere.example%2F");
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.error_code(), "not_found");
    let xml = server.get(&format!(
        "/oembed?format=xml&url={}",
        tem_core::payload::percent_encode(&code)
    ));
    assert_eq!(xml.status, 501);
    assert_eq!(server.get("/oembed").error_code(), "missing_parameter");
}

#[test]
fn api_answers_are_gzipped_for_clients_that_ask() {
    let server = start();
    let path = format!("/api/v1/records/{HONEY}.{HONEY_LOT}");
    let reply = server.get_with(&path, &[("Accept-Encoding", "gzip")]);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-encoding"), "gzip");
    assert_eq!(server.get(&path).header("content-encoding"), "");
}

#[test]
fn recalled_lot_is_listed_and_carried_in_its_record() {
    let server = start();
    let reply = server.get(&format!("/api/v1/recalls?gtin={NEM_CHUA}"));
    let recalls = reply.json()["recalls"].as_array().cloned().unwrap();
    assert_eq!(recalls.len(), 1);
    assert_eq!(recalls[0]["lot"], "NC2611-07");
    assert!(!recalls[0]["authority"].as_str().unwrap().is_empty());
    let other_lot = server.get(&format!("/api/v1/recalls?gtin={NEM_CHUA}&lot=NC2611-20"));
    assert_eq!(other_lot.json()["recalls"], serde_json::json!([]));
    let record = server.record(&format!("/api/v1/records/{NEM_CHUA}.NC2611-07"));
    let recall = record.recall.expect("the record carries the recall");
    assert!(recall.reason.vi.contains("Salmonella"));
    assert!(
        server
            .record(&format!("/api/v1/records/{NEM_CHUA}.NC2611-20"))
            .recall
            .is_none()
    );
}

#[test]
fn restarting_on_the_same_database_does_not_duplicate_the_demo_data() {
    let server = start();
    let db = config(server.dir.path()).db;
    let counts = || -> Vec<i64> {
        let mut db = tem_portal::db::open(&db).unwrap();
        [
            "products",
            "parties",
            "locations",
            "lots",
            "units",
            "events",
            "recalls",
        ]
        .iter()
        .map(|table| {
            db.query_row(&format!("SELECT COUNT(*) FROM {table}"), &[], |r| r.get(0))
                .unwrap()
        })
        .collect()
    };
    let before = counts();
    assert!(before[0] >= 8, "{before:?}");
    let first = server.record(&format!("/api/v1/records/{HONEY}.{HONEY_LOT}"));
    let again = start_in(server.dir);
    assert_eq!(counts(), before);
    let second = again.record(&format!("/api/v1/records/{HONEY}.{HONEY_LOT}"));
    assert_eq!(first.events, second.events);
    let stamps: Vec<Value> =
        serde_json::from_slice(&std::fs::read(again.stamps_dir().join("stamps.json")).unwrap())
            .unwrap();
    let mut ids: Vec<&str> = stamps
        .iter()
        .filter_map(|s| s["record_id"].as_str())
        .collect();
    let count = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), count, "one stamp per record");
}

fn decode_png(path: &Path) -> String {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    let width = info.width as usize;
    let mut image =
        rqrr::PreparedImage::prepare_from_greyscale(width, info.height as usize, |x, y| {
            pixels[y * width + x]
        });
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "{}", path.display());
    grids[0].decode().unwrap().1
}

#[test]
fn every_stamp_is_a_decodable_qr_of_a_link_that_resolves() {
    let server = start();
    let stamps: Vec<Value> =
        serde_json::from_slice(&std::fs::read(server.stamps_dir().join("stamps.json")).unwrap())
            .unwrap();
    assert!(stamps.len() >= 12, "{} stamps", stamps.len());
    for stamp in &stamps {
        let url = stamp["url"].as_str().unwrap();
        let png = server.stamps_dir().join(stamp["png"].as_str().unwrap());
        assert_eq!(decode_png(&png), url);
        // By path: the lookalike-domain stamp points elsewhere, but names a real unit.
        let path = &url[url.find("/01/").unwrap()..];
        let record = server.record(path);
        assert_eq!(record.id, stamp["record_id"].as_str().unwrap());
        assert_eq!(record.product.name.vi, stamp["name"].as_str().unwrap());
    }
    let bare = server.get_with("/stamps", &[("Accept", "text/html")]);
    assert_eq!(
        bare.status, 308,
        "relative image links need the trailing slash"
    );
    assert_eq!(bare.header("location"), "/stamps/");
    let page = server.get_with("/stamps/", &[("Accept", "text/html")]);
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Mật ong hoa nhãn Hưng Yên"));
    let png = server.get(&format!("/stamps/{HONEY}.{HONEY_LOT}.A0001.png"));
    assert_eq!(png.status, 200);
    assert_eq!(png.header("content-type"), "image/png");
}

#[test]
fn stamps_command_writes_stamps_for_the_given_base_url() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_tem-portal"))
        .args(["stamps", "--out"])
        .arg(&out)
        .args([
            "--base-url",
            "http://192.168.1.20:8080/",
            "--seed",
            "demo",
            "--db",
        ])
        .arg(dir.path().join("db/portal.sqlite"))
        .status()
        .unwrap();
    assert!(status.success());
    let url = decode_png(&out.join(format!("{HONEY}.{HONEY_LOT}.A0001.png")));
    let (link, signature) = url
        .split_once("?8030=")
        .expect("a serialised stamp is signed");
    assert_eq!(
        link,
        format!("http://192.168.1.20:8080/01/{HONEY}/10/{HONEY_LOT}/21/A0001")
    );
    assert_eq!(signature.len(), 86);
    assert!(out.join("index.html").is_file());
}

#[test]
fn static_files_are_served_with_their_types() {
    let server = start();
    let wasm = server.get("/pkg/tem_bg.wasm");
    assert_eq!(wasm.status, 200);
    assert_eq!(wasm.header("content-type"), "application/wasm");
    assert_eq!(wasm.header("cache-control"), "public, max-age=3600");
    let missing = server.get("/pkg/nothing.js");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.error_code(), "not_found");
    let image = server.get("/media/mat-ong-hoa-nhan.svg");
    assert_eq!(image.status, 200);
    assert_eq!(image.header("content-type"), "image/svg+xml");
    assert!(image.body.contains("Mật ong"));
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn errors_from_the_http_layer_are_json_too() {
    let server = start();
    let post = server
        .agent
        .post(format!(
            "{}/api/v1/records/{HONEY}.{HONEY_LOT}",
            server.base
        ))
        .send("")
        .unwrap();
    assert_eq!(post.status().as_u16(), 405);
    let body: Value = serde_json::from_str(&post.into_body().read_to_string().unwrap()).unwrap();
    assert_eq!(body["error"]["code"], "method_not_allowed");
    let bad_utf8 = server.get("/api/v1/records/%FF%FE");
    assert_eq!(bad_utf8.status, 400);
    assert_eq!(bad_utf8.error_code(), "bad_request");
}

#[test]
fn every_product_image_in_a_record_is_served() {
    let server = start();
    let stamps: Vec<Value> =
        serde_json::from_slice(&std::fs::read(server.stamps_dir().join("stamps.json")).unwrap())
            .unwrap();
    for stamp in stamps.iter().filter(|s| s["serial"].is_null()) {
        let record = server.record(&format!(
            "/api/v1/records/{}",
            stamp["record_id"].as_str().unwrap()
        ));
        let image = record
            .product
            .image
            .expect("every demo product has an image");
        assert_eq!(server.get(&image).status, 200, "{image}");
    }
}

fn trust_list(server: &Server) -> tem_core::trust::TrustList {
    let reply = server.get("/.well-known/tem/trust-list.jws");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), "application/jose");
    let roots: tem_core::trust::JwkSet =
        serde_json::from_str(include_str!("../../../trust/roots.json")).unwrap();
    tem_core::trust::TrustList::from_signed(&reply.body, &roots.keys, tem_portal::unix_now())
        .expect("the trust list verifies against the widget's built-in root")
}

#[test]
fn the_trust_list_is_signed_by_the_built_in_root_and_names_each_issuer_s_domains() {
    let server = start();
    let list = trust_list(&server);
    assert!(list.keys.len() >= 6, "{} keys", list.keys.len());
    assert!(
        list.keys
            .iter()
            .all(|k| k.d.is_none() && k.issuer_name().is_some())
    );
    // Stamps point at this portal, so every issuer may use its host.
    assert!(list.keys.iter().all(|k| k.allows_domain("127.0.0.1")));
    assert!(
        list.key("phohien-unlisted").is_none(),
        "an unpublished key stays out of the list"
    );
}

// --- several issuers: one that signs on its own resolver

fn coop_issuer(keys: Vec<tem_core::trust::Jwk>) -> tem_portal::issuers::NewIssuer {
    tem_portal::issuers::NewIssuer {
        id: "hoptac".into(),
        name_vi: "HTX Hợp Tác".into(),
        name_en: Some("Hop Tac Cooperative".into()),
        domains: vec!["tem.hoptac.vn".into()],
        gcp: vec!["893609".into()],
        resolver: Some("https://tra.hoptac.vn/".into()),
        keys,
    }
}

fn coop_key() -> tem_core::trust::Jwk {
    tem_core::trust::Jwk::ed25519_from_seed([7; 32], "hoptac-2026")
}

/// A demo portal's directory with the cooperative registered beside the demo issuers.
fn demo_with_coop() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let db = config(dir.path()).db;
    tem_portal::write_stamps(
        &db,
        Some(tem_portal::Seed::Demo),
        &dir.path().join("stamps"),
        "http://127.0.0.1:1",
    )
    .unwrap();
    tem_portal::add_issuer(&db, &coop_issuer(vec![coop_key().public()])).unwrap();
    dir
}

#[test]
fn an_issuer_with_its_own_resolver_is_listed_with_it_and_its_domains_only() {
    let server = start_in(demo_with_coop());
    let list = trust_list(&server);
    let now = tem_portal::unix_now();
    let coop = list
        .key("hoptac-2026")
        .expect("the cooperative's key is listed");
    assert_eq!(coop.resolver.as_deref(), Some("https://tra.hoptac.vn"));
    assert_eq!(coop.domains, ["tem.hoptac.vn"]);
    assert_eq!(
        list.resolver_for(Some("tem.hoptac.vn"), now),
        Some("https://tra.hoptac.vn")
    );
    // The issuers this portal signs for are still served here.
    assert_eq!(
        list.resolver_for(Some("127.0.0.1"), now),
        Some(server.base.as_str())
    );
    // The widget's pages may ask the cooperative's resolver for records and images.
    with_real_pages(&server);
    let csp = server
        .get_with("/", &[])
        .header("content-security-policy")
        .to_string();
    for name in ["connect-src", "img-src"] {
        assert!(
            directive(&csp, name).contains("https://tra.hoptac.vn"),
            "{name}: {csp}"
        );
    }
}

#[test]
fn an_issuer_that_signs_elsewhere_never_signs_here() {
    let dir = demo_with_coop();
    let mut db = tem_portal::db::open(&config(dir.path()).db).unwrap();
    let now = tem_portal::unix_now();
    assert_eq!(
        tem_portal::signing::issuer_key(&mut db, "hoptac", now).unwrap(),
        None
    );
    assert_eq!(
        tem_portal::signing::key_by_kid(&mut db, "hoptac-2026").unwrap(),
        None
    );
    assert!(
        tem_portal::signing::issuer_key(&mut db, "phohien", now)
            .unwrap()
            .is_some()
    );
}

#[test]
fn an_issuers_public_keys_are_exported_for_another_portal() {
    let dir = demo_with_coop();
    let db = config(dir.path()).db;
    let set = tem_portal::issuer_keys(&db, "phohien").unwrap();
    assert!(!set.keys.is_empty());
    assert!(
        set.keys
            .iter()
            .all(|key| key.d.is_none() && key.exp.is_some())
    );
    let server = start_in(dir);
    let list = trust_list(&server);
    for key in &set.keys {
        let listed = list.key(key.kid.as_deref().unwrap()).unwrap();
        assert_eq!(
            (&listed.x, listed.nbf, listed.exp),
            (&key.x, key.nbf, key.exp)
        );
    }
    let error = tem_portal::issuer_keys(&config(server.dir.path()).db, "nobody").unwrap_err();
    assert!(error.to_string().contains("no published key"), "{error}");
}

#[test]
fn issuers_are_refused_when_their_keys_resolver_or_names_do_not_fit() {
    let dir = demo_with_coop();
    let db = config(dir.path()).db;
    let fresh = |seed: u8| tem_core::trust::Jwk::ed25519_from_seed([seed; 32], &format!("k{seed}"));
    let cases = [
        (
            "private keys with a resolver",
            coop_issuer(vec![fresh(1)]),
            "public keys only",
        ),
        (
            "public keys without a resolver",
            tem_portal::issuers::NewIssuer {
                resolver: None,
                ..coop_issuer(vec![fresh(2).public()])
            },
            "needs its --resolver",
        ),
        (
            "a resolver with a user",
            tem_portal::issuers::NewIssuer {
                resolver: Some("https://me@tra.hoptac.vn".into()),
                ..coop_issuer(vec![fresh(3).public()])
            },
            "not a plain http(s) URL",
        ),
        (
            "a domain with a port",
            tem_portal::issuers::NewIssuer {
                domains: vec!["tem.hoptac.vn:443".into()],
                ..coop_issuer(vec![fresh(4).public()])
            },
            "is not a host name",
        ),
        (
            "the same id again",
            coop_issuer(vec![fresh(5).public()]),
            "registered already",
        ),
        (
            "a kid taken",
            tem_portal::issuers::NewIssuer {
                id: "hoptac-2".into(),
                ..coop_issuer(vec![coop_key().public()])
            },
            "kid \"hoptac-2026\" is registered already",
        ),
        ("no key", coop_issuer(vec![]), "needs a --key"),
    ];
    for (case, issuer, expected) in cases {
        let error = tem_portal::add_issuer(&db, &issuer)
            .unwrap_err()
            .to_string();
        assert!(error.contains(expected), "{case}: {error}");
    }
    // Nothing of a refused issuer is kept.
    let mut db = tem_portal::db::open(&db).unwrap();
    let issuers: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM issuers WHERE id LIKE 'hoptac%'",
            &[],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(issuers, 1);
}

#[test]
fn records_are_served_signed_and_verify_against_the_trust_list() {
    let server = start();
    let list = trust_list(&server);
    let path = format!("/01/{HONEY}/10/{HONEY_LOT}/21/A0003?linkType=gs1:traceability");
    let reply = server.get_with(&path, &[("Accept", "application/jose")]);
    assert_eq!(reply.header("content-type"), "application/jose");
    let verification = list.verify(&reply.body, tem_portal::unix_now());
    assert_eq!(
        verification.signature,
        tem_core::trust::SignatureStatus::Valid
    );
    let signed: TraceRecord = serde_json::from_slice(&verification.payload.unwrap()).unwrap();
    assert_eq!(signed.serial.as_deref(), Some("A0003"));
    // A client that asks for JSON gets the very bytes that were signed.
    let plain = server.get(&path);
    assert_eq!(plain.header("content-type"), "application/json");
    assert_eq!(
        serde_json::from_str::<TraceRecord>(&plain.body).unwrap(),
        signed
    );
}

#[test]
fn every_serialised_stamp_carries_a_signature_that_verifies_offline() {
    let server = start();
    let list = trust_list(&server);
    let stamps: Vec<Value> =
        serde_json::from_slice(&std::fs::read(server.stamps_dir().join("stamps.json")).unwrap())
            .unwrap();
    let serialised: Vec<&Value> = stamps.iter().filter(|s| !s["serial"].is_null()).collect();
    assert!(serialised.len() >= 15);
    for stamp in serialised {
        let payload = tem_core::payload::parse(stamp["url"].as_str().unwrap()).unwrap();
        let signature = tem_core::trust::verify_stamp(&payload, &list, tem_portal::unix_now());
        assert!(
            matches!(signature, tem_core::trust::StampSignature::Valid { .. }),
            "{}: {signature:?}",
            stamp["url"]
        );
    }
}

fn post_scan(server: &Server, body: &str) -> Reply {
    server.post(
        "/api/v1/scans",
        &[("Content-Type", "application/json")],
        body,
    )
}

#[test]
fn a_scan_is_counted_and_answers_the_history_with_only_the_province_shared() {
    let server = start();
    let body = format!(r#"{{"gtin":"{HONEY}","lot":"{HONEY_LOT}","serial":"A0003"}}"#);
    let first = post_scan(&server, &body).json();
    assert_eq!(first["count"], 1);
    assert_eq!(first["state"], "issued");
    assert_eq!(first["provinces"], serde_json::json!([]));
    let shared = format!(r#"{{"gtin":"{HONEY}","serial":"A0003","province":"Huế"}}"#);
    let second = post_scan(&server, &shared).json();
    assert_eq!(second["count"], 2);
    assert_eq!(second["provinces"], serde_json::json!(["Huế"]));
    assert_eq!(second["first_scan_at"], first["first_scan_at"]);
    let history = server
        .get(&format!("/api/v1/scans?gtin={HONEY}&serial=A0003"))
        .json();
    assert_eq!(history["count"], 2, "reading the history counts nothing");
}

#[test]
fn scans_of_unknown_units_bad_provinces_and_bad_bodies_are_refused_as_json() {
    let server = start();
    let unknown = post_scan(
        &server,
        &format!(r#"{{"gtin":"{HONEY}","serial":"Z9999"}}"#),
    );
    assert_eq!(
        (unknown.status, unknown.error_code().as_str()),
        (404, "not_found")
    );
    let wrong_lot = post_scan(
        &server,
        &format!(r#"{{"gtin":"{HONEY}","lot":"MO2609","serial":"A0001"}}"#),
    );
    assert_eq!(wrong_lot.status, 404);
    let province = post_scan(
        &server,
        &format!(r#"{{"gtin":"{HONEY}","serial":"A0001","province":"12 Hàng Bạc"}}"#),
    );
    assert_eq!(
        (province.status, province.error_code().as_str()),
        (400, "invalid_province")
    );
    let garbage = post_scan(&server, "{\"gtin\": [");
    assert_eq!(
        (garbage.status, garbage.error_code().as_str()),
        (400, "invalid_body")
    );
    let check_digit = post_scan(&server, r#"{"gtin":"08936012345677","serial":"A0001"}"#);
    assert_eq!(check_digit.status, 400);
}

#[test]
fn the_seeded_cases_have_their_states_and_histories() {
    let server = start();
    let history = |serial: &str| {
        server
            .get(&format!("/api/v1/scans?gtin={HONEY}&serial={serial}"))
            .json()
    };
    let cloned = history("A0002");
    assert_eq!(cloned["count"], 40);
    assert_eq!(cloned["provinces"].as_array().unwrap().len(), 5);
    assert_eq!(history("A0004")["state"], "void");
    assert_eq!(history("A0001")["state"], "activated");
    assert!(
        history("A0001")["activated"]["retailer"]
            .as_str()
            .unwrap()
            .contains("Hàng Bạc")
    );
}

#[test]
fn the_demo_records_are_full_histories_but_for_the_two_depth_cases() {
    use tem_core::depth::{self, Level};
    let server = start();
    let stamps: Vec<Value> =
        serde_json::from_slice(&std::fs::read(server.stamps_dir().join("stamps.json")).unwrap())
            .unwrap();
    for stamp in &stamps {
        let url = stamp["url"].as_str().unwrap();
        let record = server.record(&url[url.find("/01/").unwrap()..]);
        let assessed = depth::assess(&record);
        // The lots of the two depth cases, whichever of their stamps is read.
        let expected = match record.lot.lot.as_str() {
            "MM2611" => Level::LabelOnly,
            "CH2611-36" => Level::Partial,
            _ => Level::Full,
        };
        assert_eq!(assessed.level, expected, "{url}: {:?}", assessed.details());
    }
}

#[test]
fn the_fish_sauce_names_the_catch_it_was_made_from_and_that_lot_has_a_record() {
    let server = start();
    let sauce = server.record("/01/08936023451012/10/CH2610-35");
    let lots = tem_core::depth::assess(&sauce).input_lots;
    assert_eq!(lots.len(), 1, "{lots:?}");
    let catch = server.record(&lots[0].path());
    assert_eq!(catch.lot.lot, "CC2609-BLV");
    assert!(catch.product.name.vi.starts_with("Cá cơm"));
}

// EPCIS capture: enterprises write events with their token; the records change and are
// signed again; what the schema, the importer or the rules refuse leaves no trace.

/// A running portal that takes capture, or None when the corpus (and its schema) is absent
/// and `TEM_SKIP_CORPUS=1` says that is fine.
fn start_capturing() -> Option<Server> {
    tem_corpus::require("epcis/EPCIS-JSON-Schema.json")?;
    Some(start())
}

impl Server {
    fn enterprise(&self, id: &str, gcp: &str) -> String {
        tem_portal::add_enterprise(
            &database(self.dir.path()),
            id,
            &format!("Doanh nghiệp {id}"),
            &[gcp.to_string()],
        )
        .unwrap()
    }

    fn capture(&self, token: &str, document: &Value) -> Reply {
        let bearer = format!("Bearer {token}");
        self.post(
            "/capture",
            &[
                ("Content-Type", "application/ld+json"),
                ("Authorization", bearer.as_str()),
            ],
            &document.to_string(),
        )
    }

    fn capture_job(&self, token: &str, location: &str) -> Value {
        let bearer = format!("Bearer {token}");
        let reply = self.get_with(location, &[("Authorization", bearer.as_str())]);
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.json()
    }

    fn event_ids(&self, path: &str) -> Vec<String> {
        self.record(path).events.into_iter().map(|e| e.id).collect()
    }
}

/// GS1 keys of the demo's companies, check digit included.
fn gs1_key(body: &str) -> String {
    format!("{body}{}", tem_core::gs1::gtin_check_digit(body).unwrap())
}

/// The distributor's shop in Hà Nội (GCP 893600900) and the honey producer's farm (893601234).
const DISTRIBUTOR_GCP: &str = "893600900";
const HONEY_GCP: &str = "893601234";

fn sgln(gcp: &str, location: &str) -> String {
    format!("urn:epc:id:sgln:{gcp}.{location}.0")
}

fn epcis(events: Value) -> Value {
    serde_json::json!({
        "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-30T09:00:00+07:00",
        "epcisBody": {"eventList": events}
    })
}

/// The shop checks honey unit A0001 at its counter.
fn shop_check(event_id: &str) -> Value {
    serde_json::json!({
        "type": "ObjectEvent",
        "eventID": event_id,
        "eventTime": "2026-11-30T08:30:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "action": "OBSERVE",
        "bizStep": "inspecting",
        "disposition": "active",
        "epcList": [format!("https://id.gs1.org/01/{HONEY}/21/A0001")],
        "bizLocation": {"id": sgln(DISTRIBUTOR_GCP, "037")}
    })
}

const SHOP_CHECK: &str = "urn:uuid:6b1f3c2e-8d4a-4c1b-9a57-1f0e2d3c4b5a";
const HONEY_UNIT: &str = "/api/v1/records/08936012345674.MO2604.A0001";
const HONEY_RECORD: &str = "/api/v1/records/08936012345674.MO2604";

#[test]
fn capture_needs_an_enterprise_token() {
    let Some(server) = start_capturing() else {
        return;
    };
    let document = epcis(serde_json::json!([shop_check(SHOP_CHECK)]));
    let none = server.post(
        "/capture",
        &[("Content-Type", "application/ld+json")],
        &document.to_string(),
    );
    assert_eq!(none.status, 401, "{}", none.body);
    assert_eq!(none.error_code(), "unauthorized");
    assert!(none.header("www-authenticate").starts_with("Bearer"));
    let token = server.enterprise("bamien", DISTRIBUTOR_GCP);
    let wrong = server.capture(&format!("{token}x"), &document);
    assert_eq!(wrong.status, 401);
    assert!(
        !server
            .event_ids(HONEY_UNIT)
            .contains(&SHOP_CHECK.to_string())
    );
    // Browsers have no business capturing: no CORS grant.
    let preflight = server.get_with("/capture", &[("Origin", "https://shop.example")]);
    assert_eq!(preflight.header("access-control-allow-origin"), "");
}

#[test]
fn a_captured_event_is_in_the_record_and_signed_into_it() {
    let Some(server) = start_capturing() else {
        return;
    };
    let token = server.enterprise("bamien", DISTRIBUTOR_GCP);
    let before = server.event_ids(HONEY_UNIT);
    let reply = server.capture(&token, &epcis(serde_json::json!([shop_check(SHOP_CHECK)])));
    assert_eq!(reply.status, 202, "{}", reply.body);
    let location = reply.header("location").to_string();
    assert!(location.starts_with("/capture/"), "{location}");
    let job = server.capture_job(&token, &location);
    assert_eq!(job["success"], true);
    assert_eq!(job["running"], false);
    assert_eq!(job["events"], 1);
    // The unit's record and its lot's both show it, with the shop's name from the portal.
    let record = server.record(HONEY_UNIT);
    let event = record
        .events
        .iter()
        .find(|e| e.id == SHOP_CHECK)
        .expect("captured");
    assert_eq!(event.biz_step.as_deref(), Some("inspecting"));
    assert_eq!(
        event.place.as_ref().map(|p| p.name.as_str()),
        Some("Cửa hàng Đặc sản Ba Miền – Hàng Bạc")
    );
    assert_eq!(record.events.len(), before.len() + 1);
    assert!(
        server
            .event_ids(HONEY_RECORD)
            .contains(&SHOP_CHECK.to_string())
    );
    // The copy served signed holds it too, and verifies.
    let signed = server.get_with(HONEY_UNIT, &[("Accept", "application/jose")]);
    let verification = trust_list(&server).verify(&signed.body, tem_portal::unix_now());
    assert_eq!(
        verification.signature,
        tem_core::trust::SignatureStatus::Valid
    );
    let payload: TraceRecord = serde_json::from_slice(&verification.payload.unwrap()).unwrap();
    assert!(payload.events.iter().any(|e| e.id == SHOP_CHECK));
    // Someone else's token does not see the job.
    let other = server.enterprise("other", "893609999");
    let bearer = format!("Bearer {other}");
    assert_eq!(
        server
            .get_with(&location, &[("Authorization", bearer.as_str())])
            .status,
        404
    );
}

#[test]
fn a_document_sent_again_is_stored_once() {
    let Some(server) = start_capturing() else {
        return;
    };
    let token = server.enterprise("bamien", DISTRIBUTOR_GCP);
    let document = epcis(serde_json::json!([shop_check(SHOP_CHECK)]));
    assert_eq!(server.capture(&token, &document).status, 202);
    let again = server.capture(&token, &document);
    assert_eq!(again.status, 202, "{}", again.body);
    assert_eq!(again.json()["events"], 0);
    let ids = server.event_ids(HONEY_UNIT);
    assert_eq!(ids.iter().filter(|id| *id == SHOP_CHECK).count(), 1);
    // Another enterprise cannot claim the same event ID.
    let other = server.enterprise("other", DISTRIBUTOR_GCP);
    let claimed = server.capture(&other, &document);
    assert_eq!(claimed.status, 403, "{}", claimed.body);
}

#[test]
fn what_the_schema_refuses_is_refused_naming_the_field_and_nothing_is_kept() {
    let Some(server) = start_capturing() else {
        return;
    };
    let token = server.enterprise("bamien", DISTRIBUTOR_GCP);
    let before = server.event_ids(HONEY_UNIT);
    let good = shop_check(SHOP_CHECK);
    let mut broken = Vec::new();
    let mut no_time = good.clone();
    no_time.as_object_mut().unwrap().remove("eventTime");
    broken.push(("eventTime missing", no_time, "/epcisBody/eventList/0"));
    let mut bad_action = good.clone();
    bad_action["action"] = "MAYBE".into();
    broken.push((
        "action not one of three",
        bad_action,
        "/epcisBody/eventList/0/action",
    ));
    let mut bad_offset = good.clone();
    bad_offset["eventTimeZoneOffset"] = "7 hours".into();
    broken.push((
        "offset not ±hh:mm",
        bad_offset,
        "/epcisBody/eventList/0/eventTimeZoneOffset",
    ));
    // The schema alone does not know GS1 check digits; the importer does.
    let mut bad_digit = good.clone();
    bad_digit["epcList"][0] = "https://id.gs1.org/01/08936012345675/21/A0001".into();
    broken.push(("GTIN check digit", bad_digit, ""));
    for (what, event, field) in broken {
        // The good event comes second, so a refusal cannot be of the first event only.
        let mut second = shop_check("urn:uuid:0d6c2f0e-1b9a-4f7e-8c3d-2a1b0c9d8e7f");
        second["eventTime"] = "2026-11-30T08:40:00+07:00".into();
        let reply = server.capture(&token, &epcis(serde_json::json!([event, second])));
        assert_eq!(reply.status, 400, "{what}: {}", reply.body);
        let body = reply.json();
        assert_eq!(body["error"]["code"], "invalid_document", "{what}");
        let problems = body["error"]["problems"].as_array().unwrap();
        assert!(
            problems.iter().any(|p| p["at"] == field)
                || (field.is_empty()
                    && body["error"]["message"]
                        .as_str()
                        .unwrap()
                        .contains("08936012345675")),
            "{what}: the answer should name {field:?}: {body}"
        );
        let job = server.capture_job(&token, reply.header("location"));
        assert_eq!(job["success"], false, "{what}");
        assert!(job["errors"].as_array().is_some_and(|e| !e.is_empty()));
    }
    assert_eq!(
        server.event_ids(HONEY_UNIT),
        before,
        "nothing of them is stored"
    );
    // A document without eventIDs cannot be told apart from itself sent again.
    let mut anonymous = good;
    anonymous.as_object_mut().unwrap().remove("eventID");
    let reply = server.capture(&token, &epcis(serde_json::json!([anonymous])));
    assert_eq!(reply.status, 400);
    assert!(reply.body.contains("eventID"), "{}", reply.body);
    let not_json = server.post(
        "/capture",
        &[
            ("Content-Type", "text/plain"),
            ("Authorization", &format!("Bearer {token}")),
        ],
        "{}",
    );
    assert_eq!(not_json.status, 415, "{}", not_json.body);
}

#[test]
fn an_enterprise_writes_only_at_its_own_places_and_starts_only_its_own_lots() {
    let Some(server) = start_capturing() else {
        return;
    };
    let distributor = server.enterprise("bamien", DISTRIBUTOR_GCP);
    let mut elsewhere = shop_check(SHOP_CHECK);
    elsewhere["bizLocation"]["id"] = sgln(HONEY_GCP, "167").into();
    let reply = server.capture(&distributor, &epcis(serde_json::json!([elsewhere])));
    assert_eq!(reply.status, 403, "{}", reply.body);
    assert_eq!(reply.error_code(), "not_permitted");
    assert!(
        reply.body.contains(SHOP_CHECK),
        "names the event: {}",
        reply.body
    );
    // The distributor cannot start a lot of the producer's honey, even at its own shop.
    let commissioning = serde_json::json!({
        "type": "ObjectEvent",
        "eventID": "urn:uuid:9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
        "eventTime": "2026-11-30T06:30:00+07:00",
        "eventTimeZoneOffset": "+07:00",
        "action": "ADD",
        "bizStep": "commissioning",
        "epcList": [format!("https://id.gs1.org/01/{HONEY}/21/B0001")],
        "bizLocation": {"id": sgln(DISTRIBUTOR_GCP, "037")},
        "ilmd": {"cbvmda:lotNumber": "MO2611", "cbvmda:itemExpirationDate": "2028-11-30"}
    });
    let reply = server.capture(&distributor, &epcis(serde_json::json!([commissioning])));
    assert_eq!(reply.status, 403, "{}", reply.body);
    assert!(
        reply.body.contains("only the GTIN's owner"),
        "{}",
        reply.body
    );
    assert_eq!(server.get(&format!("/01/{HONEY}/10/MO2611")).status, 404);
}

#[test]
fn a_producer_starts_a_new_lot_whose_units_resolve_with_their_history() {
    let Some(server) = start_capturing() else {
        return;
    };
    let producer = server.enterprise("phohien", HONEY_GCP);
    let farm = gs1_key(&format!("{HONEY_GCP}167"));
    let document = serde_json::json!({
        "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-30T09:00:00+07:00",
        "epcisHeader": {"epcisMasterData": {"vocabularyList": [{
            "type": "urn:epcglobal:epcis:vtype:BusinessLocation",
            "vocabularyElementList": [{
                "id": sgln(HONEY_GCP, "167"),
                "attributes": [
                    {"id": "urn:epcglobal:cbv:mda#name", "attribute": "Trại ong hoa nhãn Đông Kết (vụ thu)"}
                ]
            }]
        }]}},
        "epcisBody": {"eventList": [{
            "type": "ObjectEvent",
            "eventID": "urn:uuid:3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98",
            "eventTime": "2026-11-28T06:30:00+07:00",
            "eventTimeZoneOffset": "+07:00",
            "action": "ADD",
            "bizStep": "commissioning",
            "disposition": "active",
            "epcList": [
                format!("https://id.gs1.org/01/{HONEY}/21/B0001"),
                format!("https://id.gs1.org/01/{HONEY}/21/B0002")
            ],
            "bizLocation": {"id": sgln(HONEY_GCP, "167")},
            "ilmd": {"cbvmda:lotNumber": "MO2611", "cbvmda:itemExpirationDate": "2028-11-28"}
        }]}
    });
    let reply = server.capture(&producer, &document);
    assert_eq!(reply.status, 202, "{}", reply.body);
    let record = server.record(&format!("/01/{HONEY}/10/MO2611?linkType=gs1:traceability"));
    assert_eq!(record.lot.expiry_date.as_deref(), Some("2028-11-28"));
    assert_eq!(record.lot.production_date.as_deref(), Some("2026-11-28"));
    let event = &record.events[0];
    assert_eq!(
        event.place.as_ref().and_then(|p| p.gln.as_deref()),
        Some(farm.as_str())
    );
    assert_eq!(
        event.place.as_ref().map(|p| p.name.as_str()),
        Some("Trại ong hoa nhãn Đông Kết (vụ thu)"),
        "the producer renames its own farm"
    );
    let unit = server.record(&format!("/01/{HONEY}/21/B0002?linkType=gs1:traceability"));
    assert_eq!(unit.lot.lot, "MO2611");
    assert_eq!(unit.events.len(), 1);
}
