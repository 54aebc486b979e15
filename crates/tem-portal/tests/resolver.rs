//! The resolver as any GS1 tool meets it: one test per criterion of GS1-Conformant Resolver
//! 1.2 (see the README's table), against the real server on loopback. Linksets are validated
//! against GS1's published schema, read from the shared corpus (never fetched). Over SQLite, or
//! PostgreSQL with `TEM_TEST_POSTGRES` set, as `tests/http.rs`.

use serde_json::Value;
use tem_portal::Config;

mod common;

const HONEY: &str = "08936012345674";
const HONEY_LOT: &str = "MO2604";
const HONEY_UNIT: &str = "A0001";
/// A lot of the honey the portal has never heard of.
const UNKNOWN_LOT: &str = "KL8G";
const VOC: &str = "https://gs1.org/voc/";

struct Server {
    base: String,
    agent: ureq::Agent,
    _dir: tempfile::TempDir,
}

struct Reply {
    status: u16,
    headers: ureq::http::HeaderMap,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    fn location(&self) -> &str {
        self.header("location")
    }
}

fn start_with(base_url: Option<&str>) -> Server {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("www")).unwrap();
    std::fs::write(dir.path().join("www/index.html"), "<title>tem</title>").unwrap();
    let config = Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        db: common::database(dir.path(), dir.path().join("portal.sqlite")),
        www: dir.path().join("www"),
        pkg: dir.path().join("pkg"),
        stamps: dir.path().join("stamps"),
        base_url: base_url.map(Into::into),
        root_key: std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../trust/demo-root.jwk"),
        seed: Some(tem_portal::Seed::Demo),
        ..Config::default()
    };
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        runtime.block_on(async move {
            let portal = tem_portal::start(config).await.unwrap();
            sender.send(portal.local_addr().unwrap()).unwrap();
            portal.run(std::future::pending()).await.unwrap();
        });
    });
    let addr = receiver.recv().unwrap();
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    Server {
        // Where requests go; the portal's links say the same unless `base_url` says otherwise.
        base: format!("http://{addr}"),
        agent,
        _dir: dir,
    }
}

fn start() -> Server {
    start_with(None)
}

impl Server {
    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut request = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut response = self
            .agent
            .run(request.body(()).unwrap())
            .expect("the portal answers");
        Reply {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: response.body_mut().read_to_string().unwrap_or_default(),
        }
    }

    /// As a GS1 tool asks: it takes anything.
    fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[("Accept", "*/*")])
    }

    fn get_with(&self, path: &str, accept: &str) -> Reply {
        self.request("GET", path, &[("Accept", accept)])
    }

    fn linkset(&self, path: &str) -> Value {
        let reply = self.get_with(path, "application/linkset+json");
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        reply.json()
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

fn percent_encode(text: &str) -> String {
    tem_core::payload::percent_encode(text)
}

/// The link of `relation` in a linkset: the most specific level's.
fn href(linkset: &Value, relation: &str) -> Option<String> {
    linkset["linkset"]
        .as_array()?
        .iter()
        .find_map(|context| context[format!("{VOC}{relation}")][0]["href"].as_str())
        .map(Into::into)
}

fn anchors(linkset: &Value) -> Vec<String> {
    linkset["linkset"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["anchor"].as_str().map(Into::into))
        .collect()
}

// ---- GS1's linkset schema, from the shared corpus ----------------------------------------

/// GS1's linkset schema as a validator; None only under `TEM_SKIP_CORPUS=1` (see tem-corpus).
fn gs1_schema() -> Option<jsonschema::Validator> {
    let read = |name: &str| -> Option<Value> {
        let path = tem_corpus::require(&format!("gs1-linkset/{name}"))?;
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Some(serde_json::from_slice(&bytes).unwrap())
    };
    let schema = read("gs1-linkset-schema.json")?;
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .build(&schema)
        .unwrap();
    // The validator itself is checked on GS1's own examples, so a validator that lets
    // everything through cannot pass the tests below.
    assert!(validator.is_valid(&read("valid-gs1-example.json")?));
    assert!(!validator.is_valid(&read("invalid-gs1-example.json")?));
    Some(validator)
}

fn assert_valid(validator: &jsonschema::Validator, linkset: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(linkset)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:?}\n{linkset:#}");
}

/// `/01/…` compressed as GS1's toolkit does, for the AIs used here: 01 (N14) and 10 (X..20,
/// as URL-safe base64 characters).
fn compress(gtin: &str, lot: Option<&str>) -> String {
    const BASE64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bits: Vec<u8> = Vec::new();
    let mut push = |value: u64, width: usize| {
        bits.extend((0..width).rev().map(|i| ((value >> i) & 1) as u8));
    };
    push(0x01, 8);
    push(gtin.parse().unwrap(), 47);
    if let Some(lot) = lot {
        push(0x10, 8);
        push(3, 3);
        push(lot.len() as u64, 5);
        for byte in lot.bytes() {
            push(BASE64.iter().position(|&b| b == byte).unwrap() as u64, 6);
        }
    }
    while !bits.len().is_multiple_of(6) {
        bits.push(0);
    }
    bits.chunks(6)
        .map(|c| BASE64[c.iter().fold(0, |n, &b| n << 1 | b as usize)] as char)
        .collect()
}

#[test]
fn the_test_compressor_matches_gs1_s_published_example() {
    assert_eq!(compress("09780345418913", None), "ARHKVAdpQg");
    let lot = format!("https://id.gs1.org/{}", compress(HONEY, Some(HONEY_LOT)));
    let parsed = tem_core::payload::parse(&lot).unwrap();
    assert_eq!(parsed.lot(), Some(HONEY_LOT));
}

// ---- The criteria ---------------------------------------------------------------------------

#[test]
fn shall_support_get_head_and_options() {
    let server = start();
    let path = format!("/01/{HONEY}");
    let get = server.get(&path);
    let head = server.request("HEAD", &path, &[("Accept", "*/*")]);
    assert_eq!((head.status, head.location()), (get.status, get.location()));
    assert!(head.body.is_empty());
    for path in [path.as_str(), "/.well-known/gs1resolver"] {
        let options = server.request("OPTIONS", path, &[]);
        assert!((200..300).contains(&options.status), "{path}");
        assert_eq!(options.header("allow"), "GET,HEAD,OPTIONS", "{path}");
        assert_eq!(
            options.header("access-control-allow-methods"),
            "GET,HEAD,OPTIONS"
        );
    }
    assert_eq!(
        get.header("access-control-allow-methods"),
        "GET,HEAD,OPTIONS"
    );
}

#[test]
fn shall_support_cors() {
    let server = start();
    let path = format!("/01/{HONEY}/10/{HONEY_LOT}?linkType=linkset");
    let reply = server.request(
        "GET",
        &path,
        &[("Origin", "https://tool.example"), ("Accept", "*/*")],
    );
    assert_eq!(reply.header("access-control-allow-origin"), "*");
    assert!(
        reply
            .header("access-control-expose-headers")
            .contains("link"),
        "scripts may read the Link header"
    );
    let preflight = server.request(
        "OPTIONS",
        &path,
        &[
            ("Origin", "https://tool.example"),
            ("Access-Control-Request-Method", "HEAD"),
        ],
    );
    assert!((200..300).contains(&preflight.status));
    for method in ["GET", "HEAD", "OPTIONS"] {
        assert!(
            preflight
                .header("access-control-allow-methods")
                .contains(method),
            "{method}"
        );
    }
}

#[test]
fn shall_decompress_a_compressed_uri() {
    let server = start();
    for (compressed, plain) in [
        (compress(HONEY, None), format!("/01/{HONEY}")),
        (
            compress(HONEY, Some(HONEY_LOT)),
            format!("/01/{HONEY}/10/{HONEY_LOT}"),
        ),
    ] {
        for query in [
            "",
            "?linkType=gs1:recallStatus",
            "?linkType=gs1:traceability",
        ] {
            let a = server.get(&format!("/{compressed}{query}"));
            let b = server.get(&format!("{plain}{query}"));
            assert_eq!(a.status, b.status, "/{compressed}{query}");
            assert_eq!(a.location(), b.location(), "/{compressed}{query}");
            assert_eq!(a.body, b.body, "/{compressed}{query}");
        }
    }
    // Files of the widget are still files.
    assert_eq!(server.get("/index.html").status, 200);
    assert_eq!(server.get("/healthz").status, 200);
}

#[test]
fn shall_expose_the_uncompressed_uri_as_owl_same_as() {
    let server = start();
    let reply = server.get(&format!("/{}?17=270131", compress(HONEY, Some(HONEY_LOT))));
    let uncompressed = server.url(&format!("/01/{HONEY}/10/{HONEY_LOT}?17=270131"));
    assert!(
        reply
            .header("link")
            .contains(&format!("<{uncompressed}>; rel=\"owl:sameAs\"")),
        "{}",
        reply.header("link")
    );
    let plain = server.get(&format!("/01/{HONEY}"));
    assert!(!plain.header("link").contains("sameAs"));
}

#[test]
fn shall_validate_the_uri_and_report_errors_with_400() {
    let server = start();
    for path in [
        format!("/01/{HONEY}/10/{HONEY_LOT}/21/{HONEY_UNIT}/foo"),
        "/01/08936012345677".to_string(),
        format!("/01/{HONEY}/21/A1/10/L1"),
        format!("/01/{HONEY}?17=991399"),
    ] {
        let reply = server.get(&path);
        assert_eq!(reply.status, 400, "{path}: {}", reply.body);
    }
}

#[test]
fn shall_answer_404_for_a_valid_uri_it_knows_nothing_of() {
    let server = start();
    for query in ["", "?linkType=linkset", "?linkType=gs1:pip"] {
        let reply = server.get(&format!("/01/08936012345681{query}"));
        assert_eq!(reply.status, 404, "{query}");
        assert_eq!(reply.json()["error"]["code"], "not_found");
    }
}

#[test]
fn shall_not_answer_an_error_with_200() {
    let server = start();
    for path in [
        "/01/08936012345677".to_string(),
        "/01/08936012345681".to_string(),
        format!("/01/{HONEY}?linkType=gs1:nosuchlt"),
        format!("/01/{HONEY}/10/{UNKNOWN_LOT}?linkType=gs1:traceability"),
    ] {
        let reply = server.get(&path);
        assert!(reply.status >= 400, "{path}: {}", reply.status);
        assert!(reply.json()["error"]["code"].is_string(), "{path}");
    }
}

#[test]
fn shall_return_the_linkset_for_link_type_linkset_without_redirecting() {
    let server = start();
    for link_type in ["linkset", "all"] {
        let reply = server.get(&format!("/01/{HONEY}?linkType={link_type}"));
        assert_eq!(reply.status, 200, "{link_type}");
        assert_eq!(reply.header("content-type"), "application/linkset+json");
        assert_eq!(
            anchors(&reply.json()),
            [server.url(&format!("/01/{HONEY}"))]
        );
    }
}

#[test]
fn shall_return_the_linkset_for_accept_linkset_json() {
    let server = start();
    let reply = server.get_with(
        &format!("/01/{HONEY}/10/{HONEY_LOT}"),
        "application/linkset+json",
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), "application/linkset+json");
    assert!(reply.json()["linkset"].is_array());
    assert!(reply.header("vary").contains("accept"));
}

#[test]
fn shall_include_the_links_of_every_level_up_to_the_primary_key() {
    let server = start();
    let linkset = server.linkset(&format!("/01/{HONEY}/10/{HONEY_LOT}/21/{HONEY_UNIT}"));
    let gtin = server.url(&format!("/01/{HONEY}"));
    let lot = format!("{gtin}/10/{HONEY_LOT}");
    let unit = format!("{lot}/21/{HONEY_UNIT}");
    assert_eq!(anchors(&linkset), [unit.clone(), lot.clone(), gtin.clone()]);
    let levels = linkset["linkset"].as_array().unwrap();
    let link = |level: usize, relation: &str| {
        levels[level][format!("{VOC}{relation}")][0]["href"]
            .as_str()
            .map(String::from)
    };
    assert_eq!(
        link(0, "traceability"),
        Some(format!("{unit}?linkType=gs1:traceability"))
    );
    assert_eq!(
        link(1, "recallStatus"),
        Some(server.url(&format!("/api/v1/recalls?gtin={HONEY}&lot={HONEY_LOT}")))
    );
    assert!(link(2, "pip").is_some() && link(2, "defaultLink").is_some());
}

#[test]
fn shall_use_the_uncompressed_uri_as_the_linkset_s_subject() {
    let server = start();
    let linkset = server.linkset(&format!("/{}", compress(HONEY, Some(HONEY_LOT))));
    assert_eq!(
        anchors(&linkset)[0],
        server.url(&format!("/01/{HONEY}/10/{HONEY_LOT}"))
    );
}

#[test]
fn every_linkset_shall_validate_against_gs1_s_schema() {
    let Some(schema) = gs1_schema() else {
        return;
    };
    let server = start();
    let compressed = format!("/{}", compress(HONEY, Some(HONEY_LOT)));
    for path in [
        format!("/01/{HONEY}"),
        format!("/01/{HONEY}/10/{HONEY_LOT}"),
        format!("/01/{HONEY}/10/{HONEY_LOT}/21/{HONEY_UNIT}"),
        format!("/01/{HONEY}/21/{HONEY_UNIT}"),
        format!("/01/{HONEY}/10/{UNKNOWN_LOT}"),
        format!("/01/{HONEY}/10/{HONEY_LOT}?17=270131"),
        // Thanh Hóa nem chua, whose lot is recalled.
        "/01/08936034563056/10/NC2611-07".to_string(),
        compressed,
    ] {
        for (query, accept) in [
            ("", "application/linkset+json"),
            ("linkType=linkset", "application/json"),
            ("linkType=all", "*/*"),
        ] {
            let separator = if path.contains('?') { '&' } else { '?' };
            let url = match query {
                "" => path.clone(),
                query => format!("{path}{separator}{query}"),
            };
            let reply = server.get_with(&url, accept);
            assert_eq!(reply.status, 200, "{url}");
            assert_valid(&schema, &reply.json(), &url);
        }
        // The JSON-LD is the same linkset with the context named.
        let separator = if path.contains('?') { '&' } else { '?' };
        let url = format!("{path}{separator}linkType=linkset");
        let mut json_ld = server.get_with(&url, "application/ld+json").json();
        let context = json_ld.as_object_mut().unwrap().remove("@context");
        assert!(context.is_some(), "{url}");
        assert_valid(&schema, &json_ld, &url);
    }
}

#[test]
fn every_link_shall_have_a_target_a_link_type_and_a_title() {
    let server = start();
    let linkset = server.linkset(&format!("/01/{HONEY}/10/{HONEY_LOT}/21/{HONEY_UNIT}"));
    for context in linkset["linkset"].as_array().unwrap() {
        assert!(
            context["itemDescription"]
                .as_str()
                .unwrap()
                .contains("Mật ong")
        );
        for (relation, links) in context.as_object().unwrap() {
            if relation == "anchor" || relation == "itemDescription" {
                continue;
            }
            assert!(relation.starts_with(VOC), "{relation}");
            for link in links.as_array().unwrap() {
                let href = link["href"].as_str().unwrap();
                assert!(href.starts_with(&server.base), "absolute: {href}");
                assert!(!link["title"].as_str().unwrap().is_empty());
            }
        }
    }
}

#[test]
fn shall_have_exactly_one_default_link_with_a_title_only_at_the_gtin() {
    let server = start();
    let linkset = server.linkset(&format!("/01/{HONEY}/10/{HONEY_LOT}/21/{HONEY_UNIT}"));
    let defaults: Vec<&Value> = linkset["linkset"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c.get(format!("{VOC}defaultLink")))
        .collect();
    assert_eq!(defaults.len(), 1);
    let default = &defaults[0].as_array().unwrap()[..];
    assert_eq!(default.len(), 1);
    let keys: Vec<&String> = default[0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["href", "title"]);
    // The default is also listed under the link type describing it.
    assert_eq!(
        default[0]["href"].as_str().map(String::from),
        href(&linkset, "pip")
    );
}

#[test]
fn shall_redirect_to_the_default_link_without_a_link_type() {
    let server = start();
    let path = format!("/01/{HONEY}/10/{HONEY_LOT}/21/{HONEY_UNIT}");
    let default = href(&server.linkset(&path), "defaultLink").unwrap();
    let tool = server.get(&path);
    assert_eq!(tool.status, 307);
    assert_eq!(tool.location(), default);
    let no_accept = server.request("GET", &path, &[]);
    assert_eq!(
        (no_accept.status, no_accept.location()),
        (307, default.as_str())
    );
    let browser = server.get_with(&path, "text/html,application/xhtml+xml,*/*;q=0.8");
    assert_eq!(
        (browser.status, browser.location()),
        (303, default.as_str())
    );
}

#[test]
fn shall_redirect_to_the_requested_link_type() {
    let server = start();
    let path = format!("/01/{HONEY}/10/{HONEY_LOT}/21/{HONEY_UNIT}");
    let linkset = server.linkset(&path);
    for relation in ["pip", "recallStatus", "defaultLink"] {
        let reply = server.get(&format!("{path}?linkType=gs1:{relation}"));
        assert_eq!(reply.status, 307, "{relation}");
        let expected = href(&linkset, relation).unwrap();
        // With the query string passed on, linkType included.
        assert_eq!(
            reply.location().split_once("&linkType=").map(|(l, _)| l),
            Some(expected.as_str()),
            "{relation}: {}",
            reply.location()
        );
    }
}

#[test]
fn shall_answer_404_for_a_link_type_it_does_not_have() {
    let server = start();
    for link_type in ["gs1:nosuchlt", "gs1:epil", "https://example.com/voc/pip"] {
        let reply = server.get(&format!("/01/{HONEY}?linkType={link_type}"));
        assert_eq!(reply.status, 404, "{link_type}");
        assert_eq!(reply.json()["error"]["code"], "unknown_link_type");
    }
}

#[test]
fn shall_pass_the_query_string_on_when_redirecting() {
    let server = start();
    let path = format!("/01/{HONEY}/10/{HONEY_LOT}");
    for accept in ["*/*", "text/html"] {
        let reply = server.get_with(&format!("{path}?foo=bar&17=270131"), accept);
        assert!(
            reply.location().ends_with("&foo=bar&17=270131"),
            "{accept}: {}",
            reply.location()
        );
    }
    let recalls = server.get(&format!("{path}?linkType=gs1:recallStatus&utm_source=qr"));
    assert!(recalls.location().contains("&utm_source=qr"));
}

#[test]
fn shall_walk_up_from_an_unknown_lot_or_serial_to_the_gtin() {
    let server = start();
    let gtin = format!("/01/{HONEY}");
    for path in [
        format!("{gtin}/10/{UNKNOWN_LOT}"),
        format!("{gtin}/21/Z9999"),
        format!("{gtin}/10/{UNKNOWN_LOT}/21/{HONEY_UNIT}"),
    ] {
        let linkset = server.linkset(&path);
        assert_eq!(anchors(&linkset), [server.url(&gtin)], "{path}");
        // The default link, and any other type, are the GTIN's.
        let default = server.get(&path);
        assert_eq!(default.status, 307, "{path}");
        assert_eq!(
            Some(default.location().to_string()),
            href(&linkset, "defaultLink")
        );
        let recalls = server.get(&format!("{path}?linkType=gs1:recallStatus"));
        assert_eq!(
            recalls.location(),
            server.url(&format!(
                "/api/v1/recalls?gtin={HONEY}&linkType=gs1:recallStatus"
            ))
        );
    }
    // A unit of another lot than the one given is unknown too; its lot's links apply.
    let other_lot = server.linkset(&format!("{gtin}/10/MO2609/21/{HONEY_UNIT}"));
    assert_eq!(
        anchors(&other_lot),
        [server.url(&format!("{gtin}/10/MO2609")), server.url(&gtin)]
    );
}

#[test]
fn the_trace_record_is_never_inherited_from_a_higher_level() {
    // Walking up would serve the GTIN's record (its latest lot's) as this lot's. The widget
    // reads the 404 as "no record", which is the truth.
    let server = start();
    let reply = server.get_with(
        &format!("/01/{HONEY}/10/{UNKNOWN_LOT}?linkType=gs1:traceability"),
        "application/json",
    );
    assert_eq!(reply.status, 404);
    assert_eq!(reply.json()["error"]["code"], "not_found");
    let record = server.get_with(
        &format!("/01/{HONEY}/10/{HONEY_LOT}?linkType=gs1:traceability"),
        "application/json",
    );
    assert_eq!(record.status, 200);
    assert_eq!(record.json()["lot"]["lot"], HONEY_LOT);
}

#[test]
fn should_link_to_the_linkset_in_every_answer_even_when_redirecting() {
    let server = start();
    let path = format!("/01/{HONEY}/10/{HONEY_LOT}");
    let expected = format!(
        "<{}?linkType=linkset>; rel=\"linkset\"; type=\"application/linkset+json\"",
        server.url(&path)
    );
    for (query, accept) in [
        ("", "*/*"),
        ("", "text/html"),
        ("?linkType=gs1:pip", "*/*"),
        ("?linkType=gs1:traceability", "application/json"),
        ("?linkType=linkset", "*/*"),
    ] {
        let reply = server.get_with(&format!("{path}{query}"), accept);
        assert!(
            reply.header("link").contains(&expected),
            "{query} {accept}: {}",
            reply.header("link")
        );
    }
}

#[test]
fn should_link_the_linkset_to_gs1_s_json_ld_context() {
    let server = start();
    let reply = server.get(&format!("/01/{HONEY}?linkType=linkset"));
    let context = "<https://ref.gs1.org/standards/resolver/1.2.0/linkset-context>; \
                   rel=\"http://www.w3.org/ns/json-ld#context\"; type=\"application/ld+json\"";
    assert!(
        reply.header("link").contains(context),
        "{}",
        reply.header("link")
    );
    let json_ld = server.get_with(
        &format!("/01/{HONEY}?linkType=linkset"),
        "application/ld+json",
    );
    assert_eq!(json_ld.header("content-type"), "application/ld+json");
    assert!(
        json_ld.json()["@context"]
            .as_str()
            .unwrap()
            .contains("linkset-context")
    );
}

#[test]
fn should_serve_the_linkset_as_a_page_to_browsers() {
    let server = start();
    let reply = server.get_with(
        &format!("/01/{HONEY}/10/{HONEY_LOT}?linkType=linkset"),
        "text/html",
    );
    assert_eq!(reply.status, 200);
    assert!(reply.header("content-type").starts_with("text/html"));
    assert!(reply.body.contains("Mật ong hoa nhãn Hưng Yên"));
    assert!(reply.body.contains("<script type=\"application/ld+json\">"));
}

#[test]
fn shall_provide_a_resolver_description_file() {
    let server = start();
    let reply = server.get_with("/.well-known/gs1resolver", "application/json");
    assert_eq!(reply.status, 200);
    let description = reply.json();
    assert_eq!(description["resolverRoot"], server.base.as_str());
    assert_eq!(
        description["supportedPrimaryKeys"],
        serde_json::json!(["01"])
    );
    assert_eq!(description["supportedLinkType"][0]["prefix"], "gs1:");
    assert_eq!(description["linkTypeDefaultCanBeLinkset"], false);
}

#[test]
fn should_tolerate_a_trailing_slash() {
    let server = start();
    for path in [
        format!("/01/{HONEY}"),
        format!("/01/{HONEY}/10/{HONEY_LOT}/21/{HONEY_UNIT}"),
        format!("/{}", compress(HONEY, Some(HONEY_LOT))),
    ] {
        for accept in ["*/*", "text/html", "application/json"] {
            let without = server.get_with(&path, accept);
            let with = server.get_with(&format!("{path}/"), accept);
            assert_eq!(with.status, without.status, "{path}/ {accept}");
            assert_eq!(with.location(), without.location(), "{path}/ {accept}");
        }
    }
}

#[test]
fn shall_recognise_gs1_link_types_in_every_spelling_of_the_vocabulary() {
    let server = start();
    let path = format!("/01/{HONEY}");
    let curie = server.get(&format!("{path}?linkType=gs1:recallStatus"));
    for link_type in [
        "https://gs1.org/voc/recallStatus",
        "https://ref.gs1.org/voc/recallStatus",
        "https://www.gs1.org/voc/recallStatus",
    ] {
        let reply = server.get(&format!("{path}?linkType={}", percent_encode(link_type)));
        assert_eq!(reply.status, 307, "{link_type}");
        assert_eq!(
            reply.location().split_once("&linkType").map(|(l, _)| l),
            curie.location().split_once("&linkType").map(|(l, _)| l)
        );
    }
}

#[test]
fn redirects_and_links_are_absolute_under_the_public_base_url() {
    // As behind a proxy that terminates TLS: the portal listens on loopback, stamps and links
    // say https.
    let server = start_with(Some("https://tem.example.vn"));
    let path = format!("/01/{HONEY}/10/{HONEY_LOT}");
    let redirect = server.get(&path);
    assert!(
        redirect
            .location()
            .starts_with("https://tem.example.vn/?code=https%3A%2F%2Ftem")
    );
    let linkset = server.linkset(&path);
    for context in linkset["linkset"].as_array().unwrap() {
        assert!(
            context["anchor"]
                .as_str()
                .unwrap()
                .starts_with("https://tem.example.vn/01/")
        );
    }
    assert!(
        href(&linkset, "recallStatus")
            .unwrap()
            .starts_with("https://tem.example.vn/api/")
    );
    let description = server.get("/.well-known/gs1resolver").json();
    assert_eq!(description["resolverRoot"], "https://tem.example.vn");
}

#[test]
fn a_browser_still_lands_in_the_widget_with_every_data_attribute() {
    let server = start();
    let stamp = format!("/01/{HONEY}/10/{HONEY_LOT}/21/{HONEY_UNIT}?17=270131");
    let reply = server.get_with(&stamp, "text/html,application/xhtml+xml");
    assert_eq!(reply.status, 303);
    let code = percent_encode(&server.url(&stamp));
    assert_eq!(
        reply.location(),
        server.url(&format!("/?code={code}&17=270131"))
    );
}
