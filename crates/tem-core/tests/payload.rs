//! Stamp payloads as they reach tem: the forms of DESIGN §2, published GS1 Digital Link and
//! compression examples, and hostile input.

use tem_core::gs1::Gs1Error;
use tem_core::payload::{PayloadError, PayloadKind, Platform, Warning, parse};

fn resolver_path(input: &str) -> String {
    match parse(input) {
        Ok(payload) => payload.resolver_path().unwrap_or_default(),
        Err(error) => panic!("{input}: {error}"),
    }
}

#[test]
fn design_digital_link_examples_give_their_keys_and_attributes() {
    let p = parse("https://id.gs1.org/01/08936012345674/10/L2401A/21/ABC123").unwrap();
    assert_eq!(p.kind, PayloadKind::DigitalLink);
    assert_eq!(
        (p.gtin(), p.lot(), p.serial()),
        (Some("08936012345674"), Some("L2401A"), Some("ABC123"))
    );
    assert_eq!(p.host.as_deref(), Some("id.gs1.org"));
    assert!(p.warnings.is_empty());

    let p = parse("https://brand.example.vn/p/01/08936012345674/10/LOT%2F25?17=261231").unwrap();
    assert_eq!(p.lot(), Some("LOT/25"));
    assert_eq!(
        p.expiry().map(|d| d.to_string()).as_deref(),
        Some("2026-12-31")
    );
    assert_eq!(
        p.resolver_path().as_deref(),
        Some("/01/08936012345674/10/LOT%2F25")
    );

    let p = parse("https://id.gs1.org/414/8936012000016/254/KHO-01").unwrap();
    assert_eq!(
        (p.get("414"), p.get("254")),
        (Some("8936012000016"), Some("KHO-01"))
    );
    assert_eq!(p.gtin(), None);

    assert_eq!(
        resolver_path("https://id.gs1.org/00/389360123456789017"),
        "/00/389360123456789017"
    );
}

#[test]
fn expiry_with_day_zero_is_the_last_day_of_the_month() {
    let p = parse("https://id.gs1.org/01/08936012345674?17=280200").unwrap();
    assert_eq!(
        p.expiry().map(|d| d.to_string()).as_deref(),
        Some("2028-02-29")
    );
    assert_eq!(
        p.get("17"),
        Some("280200"),
        "the value itself is kept as written"
    );
}

#[test]
fn every_date_attribute_is_read_as_a_date() {
    let p = parse("https://id.gs1.org/01/08936012345674?11=250115&13=250116&15=260100&17=270101")
        .unwrap();
    let dates: Vec<String> = p
        .elements
        .iter()
        .filter_map(|e| e.date.map(|d| format!("{}={d}", e.ai)))
        .collect();
    assert_eq!(
        dates,
        [
            "11=2025-01-15",
            "13=2025-01-16",
            "15=2026-01-31",
            "17=2027-01-01"
        ]
    );
    assert!(matches!(
        parse("https://id.gs1.org/01/08936012345674?15=250231"),
        Err(PayloadError::Gs1(Gs1Error::Date { .. }))
    ));
}

#[test]
fn query_parameters_that_are_not_ais_are_ignored() {
    let p = parse("https://id.gs1.org/01/08936012345674?linkType=gs1:traceability&utm_source=tem&17=261231#top").unwrap();
    assert_eq!(p.elements.len(), 2);
}

#[test]
fn any_path_prefix_before_the_key_is_allowed() {
    assert_eq!(
        resolver_path("https://shop.example.vn/vi/san-pham/qr/01/08936012345674/21/X1"),
        "/01/08936012345674/21/X1"
    );
    assert_eq!(
        resolver_path("https://example.vn/01/9999/01/08936012345674"),
        "/01/08936012345674"
    );
}

#[test]
fn key_qualifiers_must_follow_the_standard_order() {
    let error = parse("https://id.gs1.org/01/08936012345674/21/S1/10/L1").unwrap_err();
    assert!(matches!(error, PayloadError::QualifierOrder { .. }));
    assert_eq!(
        error.to_string(),
        "key qualifiers of GTIN should come in the order 22, 10, 21 or 235, found 21, 10"
    );
    assert!(matches!(
        parse("https://id.gs1.org/01/08936012345674/10/L1/235/TPX1"),
        Err(PayloadError::QualifierOrder { .. })
    ));
    assert!(parse("https://id.gs1.org/01/08936012345674/235/TPX1").is_ok());
    assert!(parse("https://id.gs1.org/01/08936012345674/22/V1/10/L1/21/S1").is_ok());
}

#[test]
fn ais_in_the_wrong_part_of_the_link_are_named() {
    let error = parse("https://id.gs1.org/01/08936012345674/17/261231").unwrap_err();
    assert_eq!(
        error,
        PayloadError::MisplacedAi {
            ai: "17".into(),
            in_path: true
        }
    );
    let error = parse("https://id.gs1.org/01/08936012345674?21=S1").unwrap_err();
    assert_eq!(
        error,
        PayloadError::MisplacedAi {
            ai: "21".into(),
            in_path: false
        }
    );
    assert_eq!(
        parse("https://id.gs1.org/01/08936012345674/10").unwrap_err(),
        PayloadError::MissingValue { ai: "10".into() }
    );
}

#[test]
fn check_digits_are_verified_and_named_in_both_languages() {
    let error = parse("https://id.gs1.org/01/08936012345677").unwrap_err();
    assert_eq!(error.to_string(), "GTIN check digit should be 4, found 7");
    assert_eq!(
        error.message_vi(),
        "Số kiểm tra của Mã sản phẩm (GTIN) phải là 4, nhưng là 7"
    );
    assert_eq!(
        parse("https://id.gs1.org/00/389360123456789010")
            .unwrap_err()
            .to_string(),
        "SSCC check digit should be 7, found 0"
    );
    assert_eq!(
        parse("https://id.gs1.org/414/8936012000013")
            .unwrap_err()
            .to_string(),
        "GLN check digit should be 6, found 3"
    );
}

#[test]
fn lenient_vietnamese_forms_are_accepted_with_warnings() {
    let p = parse("https://example.vn/gtin/8936012345674/lot/A1/ser/S9").unwrap();
    assert_eq!(
        (p.gtin(), p.lot(), p.serial()),
        (Some("08936012345674"), Some("A1"), Some("S9"))
    );
    assert!(p.warnings.contains(&Warning::PaddedGtin {
        given: "8936012345674".into()
    }));
    assert!(p.warnings.contains(&Warning::DeprecatedAlias {
        alias: "gtin".into(),
        ai: "01".into()
    }));
    let p = parse("https://id.gs1.org/01/8936012345674").unwrap();
    assert_eq!(
        p.warnings,
        [Warning::PaddedGtin {
            given: "8936012345674".into()
        }]
    );
    assert_eq!(
        p.warnings[0].to_string(),
        "GTIN 8936012345674 has 13 digits; read as 08936012345674 (a Digital Link needs 14)"
    );
    let p = parse("http://id.gs1.org/01/08936012345674").unwrap();
    assert_eq!(p.warnings, [Warning::NotHttps]);
    let p = parse("id.gs1.org/01/08936012345674").unwrap();
    assert_eq!(p.warnings, [Warning::NoScheme]);
}

/// GS1's published compression examples (GS1 Digital Link compression prototype test data):
/// each compressed link and the uncompressed link it stands for.
const COMPRESSED: &[(&str, &str)] = &[
    (
        "https://id.gs1.org/ARHKVAdpQg",
        "https://id.gs1.org/01/09780345418913",
    ),
    (
        "https://id.gs1.org/AN2yxDhfaiaw",
        "https://id.gs1.org/00/998440410914660971",
    ),
    (
        "https://id.gs1.org/AQnYUc1gmg",
        "https://id.gs1.org/01/05412345000013",
    ),
    (
        "https://id.gs1.org/AQnYUc1gmiCNV4JG",
        "https://id.gs1.org/01/05412345000013/10/ABC123",
    ),
    (
        "https://id.gs1.org/AQnYUc1gmiCNV4JGQhcNT6K6c",
        "https://id.gs1.org/01/05412345000013/10/ABC123/21/72292641703",
    ),
    (
        "https://id.gs1.org/AQnYUc1gmiCNV4JGQhcNT6K6cibQCWN9Pee9tT-PQ",
        "https://id.gs1.org/01/05412345000013/22/AJY3095721P49/10/ABC123/21/72292641703",
    ),
    (
        "https://id.gs1.org/AQnYUc1gmiCNV4JGRNoBLG-nvPe2p_Ho",
        "https://id.gs1.org/01/05412345000013/22/AJY3095721P49/10/ABC123",
    ),
    (
        "https://id.gs1.org/AQnYUc1gmkax7ipGrOHDPC5YNI8hMz",
        "https://id.gs1.org/01/05412345000013/235/8TFV883a904GH%263",
    ),
    (
        "https://id.gs1.org/AQnYUc1gmkIXDU-iun",
        "https://id.gs1.org/01/05412345000013/21/72292641703",
    ),
    (
        "https://id.gs1.org/AQnYUc1gmkIXDU-iunIm0AljfT3nvbU_j0",
        "https://id.gs1.org/01/05412345000013/22/AJY3095721P49/21/72292641703",
    ),
    (
        "https://id.gs1.org/AQnYUc1gmkTaASxvp7z3tqfx6",
        "https://id.gs1.org/01/05412345000013/22/AJY3095721P49",
    ),
    (
        "https://id.gs1.org/JTLIetaiHYA",
        "https://id.gs1.org/253/3060077601309",
    ),
    (
        "https://id.gs1.org/JVUqG5hJ5wA",
        "https://id.gs1.org/255/5678409730535",
    ),
    (
        "https://id.gs1.org/QBl2DVoxZM2jVm3ZOWEFoxTR5HDgzZg",
        "https://id.gs1.org/401/0541234537290A41%26GHpp33",
    ),
    (
        "https://id.gs1.org/QCJZyW9mC6Z4",
        "https://id.gs1.org/402/21173492661712079",
    ),
    (
        "https://id.gs1.org/QUSaVjC_dA",
        "https://id.gs1.org/414/5060917510004",
    ),
    (
        "https://id.gs1.org/JUa0T-eifdtOO9UFEmlYwv3Q",
        "https://id.gs1.org/414/5060917510004/254/RP56J920471",
    ),
    (
        "https://id.gs1.org/QUSaVjC_dHBAVlCrg",
        "https://id.gs1.org/414/5060917510004/7040/5KFX",
    ),
    (
        "https://id.gs1.org/QXSaVjC_dHBAVlCrg",
        "https://id.gs1.org/417/5060917510004/7040/5KFX",
    ),
    (
        "https://id.gs1.org/cEB2CqjAAkuwatGLJm0as27JywgtGKaPI4cGbM",
        "https://id.gs1.org/8004/0541234537290A41%26GHpp33/7040/7BVR",
    ),
    (
        "https://id.gs1.org/gAMJCAXukTMA",
        "https://id.gs1.org/8003/04965031954585",
    ),
    (
        "https://id.gs1.org/gASXYNWjFkzaNWbdk5YQWjFNHkcODNm",
        "https://id.gs1.org/8004/0541234537290A41%26GHpp33",
    ),
    (
        "https://id.gs1.org/gBCVYNWjFkzaNWbdk5YQWjFHHkM2cAI0xdvpGo",
        "https://id.gs1.org/8010/0541234537290A41%23GH33/8011/6639047221",
    ),
    (
        "https://id.gs1.org/gBN05060917511473062B98T",
        "https://id.gs1.org/8013/5060917511473062B98T",
    ),
    (
        "https://id.gs1.org/gBe1ajAd9ATDmAGXPRfk",
        "https://id.gs1.org/8017/817019610850151481/8019/4003812",
    ),
    (
        "https://id.gs1.org/gBhbV6rzBENPmAGXPRfk",
        "https://id.gs1.org/8018/411369833821910265/8019/4003812",
    ),
    (
        "https://id.gs1.org/01/05412345000013/EEarwSMhC4an0V05E2gEsb6e897an8eg",
        "https://id.gs1.org/01/05412345000013/22/AJY3095721P49/10/ABC123/21/72292641703",
    ),
    (
        "https://id.gs1.org/01/05412345000013/I1j3FSNWcOGeFywaR5CZm",
        "https://id.gs1.org/01/05412345000013/235/8TFV883a904GH%263",
    ),
    (
        "https://id.gs1.org/01/5412345000013/IQuGp9FdORNoBLG-nvPe2p_Ho",
        "https://id.gs1.org/01/05412345000013/22/AJY3095721P49/21/72292641703",
    ),
    (
        "https://id.gs1.org/414/5060917510004/cEBWUKu",
        "https://id.gs1.org/414/5060917510004/7040/5KFX",
    ),
    (
        "https://id.gs1.org/8004/0541234537290A41%26GHpp33/cEB2Cqi",
        "https://id.gs1.org/8004/0541234537290A41%26GHpp33/7040/7BVR",
    ),
    (
        "https://id.gs1.org/8010/0541234537290A41%23GH33/gBGmLt9I1",
        "https://id.gs1.org/8010/0541234537290A41%23GH33/8011/6639047221",
    ),
    (
        "https://id.gs1.org/8017/817019610850151481/gBlz0X5A",
        "https://id.gs1.org/8017/817019610850151481/8019/4003812",
    ),
];

#[test]
fn compressed_digital_links_decode_to_their_uncompressed_form() {
    for (compressed, plain) in COMPRESSED {
        let p = parse(compressed).unwrap_or_else(|e| panic!("{compressed}: {e}"));
        assert_eq!(p.kind, PayloadKind::CompressedDigitalLink, "{compressed}");
        assert_eq!(p.elements, parse(plain).unwrap().elements, "{compressed}");
    }
}

#[test]
fn words_in_a_path_are_not_mistaken_for_compressed_links() {
    for text in [
        "https://example.vn/products",
        "https://example.vn/AAAAAAAA",
        "https://example.vn/gioi-thieu",
    ] {
        assert!(
            matches!(parse(text), Err(PayloadError::NotTraceabilityCode { .. })),
            "{text}"
        );
    }
}

#[test]
fn element_strings_in_every_notation_agree() {
    let gs = '\u{1d}';
    let expected = "/01/08936012345674/10/L1/21/S1";
    for text in [
        format!("]Q3010893601234567417261231 10L1{gs}21S1").replace(' ', ""),
        format!("]d2010893601234567417261231 10L1{gs}21S1").replace(' ', ""),
        format!("]C1010893601234567417261231 10L1{gs}21S1").replace(' ', ""),
        format!("{gs}010893601234567417261231 10L1{gs}21S1").replace(' ', ""),
        format!("010893601234567417261231 10L1{gs}21S1").replace(' ', ""),
        "(01)08936012345674(17)261231(10)L1(21)S1".to_string(),
        "(01) 08936012345674 (17) 261231 (10) L1 (21) S1".to_string(),
        format!("]Q301089360123456742110L1{gs}21S1").replace("2110L1", "10L1"),
    ] {
        let p = parse(&text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(p.kind, PayloadKind::ElementString, "{text:?}");
        assert_eq!(p.resolver_path().as_deref(), Some(expected), "{text:?}");
    }
}

#[test]
fn element_string_values_keep_brackets_that_are_not_ais() {
    let p = parse("(01)08936012345674(10)A(1)B").unwrap();
    assert_eq!(p.lot(), Some("A(1)B"));
}

#[test]
fn element_string_formats_are_validated_from_the_dictionary() {
    let gs = '\u{1d}';
    let cases = [
        ("(01)0893601234567", "GTIN should have 14 digits, found 13"),
        (
            "(01)08936012345674(10)LÔ1",
            "AI (10) BATCH/LOT: character 'Ô' at position 2 is not allowed (GS1 character set 82 (letters, digits and !\"%&'()*+,-./:;<=>?_))",
        ),
        (
            "(01)08936012345674(17)261332",
            "AI (17) USE BY or EXPIRY should be a date YYMMDD, found 261332",
        ),
        (
            "(01)08936012345674(10)123456789012345678901",
            "AI (10) BATCH/LOT should have 1 to 20 characters, found 21",
        ),
        (
            "(10)L1(17)261231",
            "AI (10) BATCH/LOT is only valid together with (01) or (02) or (03) or (8006) or (8026)",
        ),
        (
            "(01)08936012345674(21)S1(235)T1",
            "AI (21) SERIAL cannot be used together with AI (235) TPX",
        ),
    ];
    for (text, message) in cases {
        assert_eq!(parse(text).unwrap_err().to_string(), message, "{text}");
    }
    let unknown = parse(&format!("]Q3010893601234567423X{gs}10L1")).unwrap_err();
    assert_eq!(
        unknown,
        PayloadError::Gs1(Gs1Error::UnknownAi {
            ai: "23X".chars().take(2).collect()
        })
    );
}

#[test]
fn typed_numbers_are_gtins_with_checked_digits() {
    for (typed, gtin) in [
        ("8936012345674", "08936012345674"),
        ("96385074", "00000096385074"),
        ("036000291452", "00036000291452"),
        ("08936012345674", "08936012345674"),
    ] {
        let p = parse(typed).unwrap();
        assert_eq!(
            (p.kind.clone(), p.gtin()),
            (PayloadKind::Gtin, Some(gtin)),
            "{typed}"
        );
    }
    assert_eq!(
        parse("8936012345675").unwrap_err().to_string(),
        "GTIN check digit should be 4, found 5"
    );
}

#[test]
fn vietnamese_platform_urls_are_recognised_by_host() {
    let cases = [
        (
            "https://truyxuatnguongoc.gov.vn/tra-cuu?code=TXNG123456",
            Platform::NationalPortal,
            "TXNG123456",
        ),
        (
            "https://www.verigoods.vn/p/VG-00123",
            Platform::VeriGoods,
            "VG-00123",
        ),
        (
            "https://vnptcheck.vn/check/ABC123XYZ",
            Platform::VnptCheck,
            "ABC123XYZ",
        ),
        (
            "https://icheck.vn/san-pham/8936012345674",
            Platform::ICheck,
            "8936012345674",
        ),
        (
            "https://hungyen.check.net.vn/sp/HY-778",
            Platform::Provincial,
            "HY-778",
        ),
        (
            "https://ndatrace.vn/01/08936012345674/10/L1",
            Platform::NdaTrace,
            "01/08936012345674/10/L1",
        ),
    ];
    for (url, platform, code) in cases {
        let p = parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
        assert_eq!(
            p.kind,
            PayloadKind::PlatformUrl {
                platform,
                code: code.into()
            },
            "{url}"
        );
    }
    assert_eq!(
        parse("https://ndatrace.vn/01/08936012345674/10/L1")
            .unwrap()
            .lot(),
        Some("L1")
    );
    assert_eq!(
        parse("https://icheck.vn/san-pham/8936012345674")
            .unwrap()
            .gtin(),
        Some("08936012345674")
    );
    assert_eq!(
        parse("https://icheck.vn/san-pham/8936012345675")
            .unwrap()
            .gtin(),
        None,
        "a wrong check digit is no GTIN"
    );
    assert!(matches!(
        parse("https://vnptcheck.vn/"),
        Err(PayloadError::NotTraceabilityCode { .. })
    ));
}

#[test]
fn bare_trace_codes_are_kept_as_typed() {
    let p = parse("TXNG-2024-000123").unwrap();
    assert_eq!(
        (p.kind, p.elements.len(), p.raw.as_str()),
        (PayloadKind::TraceCode, 0, "TXNG-2024-000123")
    );
}

#[test]
fn hostile_text_is_never_a_traceability_code() {
    for hostile in [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "<script>alert(1)</script>",
        "file:///etc/passwd",
        "intent://scan/#Intent;scheme=zxing;end",
        "https://evil.example/phish",
        "hello world",
        "01\u{0}08936012345674",
        "https://id.gs1.org\u{202e}/01/08936012345674",
    ] {
        match parse(hostile) {
            Err(PayloadError::NotTraceabilityCode { raw }) => assert_eq!(raw, hostile.trim()),
            other => panic!("{hostile:?} gave {other:?}"),
        }
    }
    assert!(matches!(
        parse(&"1".repeat(100_000)),
        Err(PayloadError::TooLong { .. })
    ));
    assert!(matches!(
        parse(&format!(
            "https://id.gs1.org/01/08936012345674?{}",
            "a=b&".repeat(3000)
        )),
        Err(PayloadError::TooLong { .. })
    ));
    assert_eq!(parse("   "), Err(PayloadError::Empty));
}

#[test]
fn disguised_and_lookalike_hosts_are_named() {
    let error = parse("https://id.gs1.org@evil.example/01/08936012345674").unwrap_err();
    assert_eq!(
        error,
        PayloadError::DisguisedHost {
            shown: "id.gs1.org".into(),
            real: "evil.example".into()
        }
    );
    assert_eq!(
        error.to_string(),
        "the link pretends to go to id.gs1.org but goes to evil.example"
    );

    let error = parse("https://verigoods-vn.com/p/VG-00123").unwrap_err();
    assert_eq!(
        error,
        PayloadError::LookalikeHost {
            host: "verigoods-vn.com".into(),
            resembles: "verigoods.vn"
        }
    );

    // A subdomain of a trusted domain is that domain's own business, whatever its letters.
    assert!(
        parse("https://іd.gs1.org/01/08936012345674")
            .unwrap()
            .warnings
            .iter()
            .all(|w| !matches!(w, Warning::LookalikeHost { .. }))
    );

    let p = parse("https://id.gs1.оrg/01/08936012345674").unwrap();
    assert_eq!(p.host.as_deref(), Some("id.gs1.xn--rg-emc"));
    assert!(p.warnings.contains(&Warning::InternationalDomain {
        host: "id.gs1.xn--rg-emc".into()
    }));
    assert!(p.warnings.contains(&Warning::LookalikeHost {
        host: "id.gs1.xn--rg-emc".into(),
        resembles: "id.gs1.org"
    }));

    let error = parse("https://іcheck.vn/san-pham/8936012345674").unwrap_err();
    assert_eq!(
        error,
        PayloadError::LookalikeHost {
            host: "xn--check-m2e.vn".into(),
            resembles: "icheck.vn"
        }
    );
}

#[test]
fn errors_serialise_with_a_code_and_both_languages() {
    let error = parse("https://id.gs1.org/01/08936012345677").unwrap_err();
    let json = serde_json::to_value(&error).unwrap();
    assert_eq!(json["code"], "check_digit");
    assert_eq!(json["ai"], "01");
    assert_eq!(
        json["message_vi"],
        "Số kiểm tra của Mã sản phẩm (GTIN) phải là 4, nhưng là 7"
    );
    let json = serde_json::to_value(parse("javascript:alert(1)").unwrap_err()).unwrap();
    assert_eq!(
        (json["code"].as_str(), json["raw"].as_str()),
        (Some("not_traceability_code"), Some("javascript:alert(1)"))
    );
}

#[test]
fn signed_stamps_expose_their_header_and_signed_payload() {
    let header = "eyJhbGciOiJFUzI1NiIsImtpZCI6InBvcnRhbC0yMDI2In0"; // {"alg":"ES256","kid":"portal-2026"}
    let payload = "aHR0cHM6Ly9pZC5nczEub3JnLzAxLzA4OTM2MDEyMzQ1Njc0LzEwL0wx"; // https://id.gs1.org/01/08936012345674/10/L1
    let p = parse(&format!("{header}.{payload}.c2lnbmF0dXJl")).unwrap();
    assert_eq!(
        p.kind,
        PayloadKind::SignedJws {
            alg: "ES256".into(),
            kid: Some("portal-2026".into())
        }
    );
    assert_eq!(
        p.resolver_path().as_deref(),
        Some("/01/08936012345674/10/L1")
    );
    assert_eq!(p.host.as_deref(), Some("id.gs1.org"));
}

#[test]
fn digsig_and_semicolon_separated_queries_are_read() {
    let p =
        parse("https://id.gs1.org/01/08936012345674/21/S1?17=261231;8030=MEUCIQDabc-_x").unwrap();
    assert_eq!(p.get("8030"), Some("MEUCIQDabc-_x"));
    assert_eq!(
        p.expiry().map(|d| d.to_string()).as_deref(),
        Some("2026-12-31")
    );
}

#[test]
fn a_repeated_ai_is_merged_in_element_strings_but_refused_in_links() {
    let p = parse("(01)08936012345674(17)261231(17)261231").unwrap();
    assert_eq!(p.elements.len(), 2);
    let error = parse("(01)08936012345674(17)261231(17)270101").unwrap_err();
    assert_eq!(
        error.to_string(),
        "AI (17) USE BY or EXPIRY appears more than once"
    );
    for link in [
        "https://id.gs1.org/01/08936012345674?17=261231&17=261231",
        "https://id.gs1.org/01/08936012345674/10/L1?99=X&10=L1",
        "https://id.gs1.org/01/08936012345674?01=08936012345674",
    ] {
        assert!(parse(link).is_err(), "{link}");
    }
}

#[test]
fn gs1_tool_notations_for_fnc1_and_literal_brackets_are_read() {
    let p = parse("^010893601234567410AB(1)^21S1").unwrap();
    assert_eq!((p.lot(), p.serial()), (Some("AB(1)"), Some("S1")));
    let p = parse("(01)08936012345674(10)A\\(10)B(21)S1").unwrap();
    assert_eq!((p.lot(), p.serial()), (Some("A(10)B"), Some("S1")));
}

#[test]
fn query_parameters_without_a_value_are_skipped() {
    assert_eq!(
        parse("https://id.gs1.org/01/08936012345674?99&linkType")
            .unwrap()
            .elements
            .len(),
        1
    );
    assert!(parse("https://id.gs1.org/01/08936012345674?99=").is_err());
}

#[test]
fn text_that_is_not_a_code_is_shown_with_hidden_characters_spelled_out() {
    use tem_core::payload::display_text;
    assert_eq!(
        display_text("abc\u{202e}def\u{0}", 100),
        "abc\\u{202e}def\\u{0}"
    );
    assert_eq!(display_text(&"x".repeat(300), 5), "xxxxx…");
    let json = serde_json::to_value(parse("pay\u{202e}lpaypal.com").unwrap_err()).unwrap();
    assert_eq!(json["display"], "pay\\u{202e}lpaypal.com");
}

#[test]
fn bracketed_text_is_gs1_only_when_it_starts_with_an_ai_number() {
    assert!(matches!(
        parse("(hello) world 123"),
        Err(PayloadError::NotTraceabilityCode { .. })
    ));
    assert_eq!(
        parse("(23)12345").unwrap_err().to_string(),
        "(23) is not a GS1 Application Identifier"
    );
}

#[test]
fn digital_link_syntax_follows_the_gs1_reference_parser() {
    let accepted = [
        ("HTTPS://id.gs1.org/01/08936012345674", "/01/08936012345674"),
        (
            "https://id.gs1.org./01/08936012345674",
            "/01/08936012345674",
        ),
        (
            "https://id.gs1.org:8443/01/08936012345674",
            "/01/08936012345674",
        ),
        ("https://192.0.2.1/01/08936012345674", "/01/08936012345674"),
        (
            "https://[2001:db8::1]/01/08936012345674",
            "/01/08936012345674",
        ),
        (
            "https://xn--fsq.xn--0zwm56d/01/08936012345674",
            "/01/08936012345674",
        ),
        (
            "https://a.vn/00/faux/00/389360123456789017",
            "/00/389360123456789017",
        ),
        (
            "https://a.vn/01/08936012345674?&&&99=A&&17=261231&&",
            "/01/08936012345674",
        ),
        (
            "https://a.vn/01/08936012345674/22/A+B",
            "/01/08936012345674/22/A%2BB",
        ),
        (
            "https://a.vn/01/08936012345674/22/AB%2d1",
            "/01/08936012345674/22/AB-1",
        ),
        (
            "https://a.vn/01/08936012345674/22/50%",
            "/01/08936012345674/22/50%25",
        ),
        (
            "https://a.vn/01/08936012345674/235/XYZ?10=L1",
            "/01/08936012345674/235/XYZ",
        ),
        (
            "https://a.vn/00/389360123456789017?02=08936012345674&37=25&10=L1",
            "/00/389360123456789017",
        ),
        (
            "https://a.vn/8004/8936012345ABC?01=8936012345674",
            "/8004/8936012345ABC",
        ),
    ];
    for (link, path) in accepted {
        let p = parse(link).unwrap_or_else(|e| panic!("{link}: {e}"));
        assert_eq!(p.resolver_path().as_deref(), Some(path), "{link}");
    }
    assert_eq!(
        parse("https://a.vn/01/08936012345674/235/XYZ?10=L1")
            .unwrap()
            .lot(),
        Some("L1")
    );

    let refused = [
        (
            "HtTpS://id.gs1.org/01/08936012345674",
            "not_traceability_code",
        ),
        (
            "https://[fe80::1%25lo]/01/08936012345674",
            "not_traceability_code",
        ),
        ("https://a.vn/01/08936012345674/", "trailing_slash"),
        ("https://a.vn/01/08936012345674?10=L1", "misplaced_ai"),
        ("https://a.vn/01/08936012345674/21/S1?10=L1", "misplaced_ai"),
        ("https://a.vn/01/08936012345674?99=A&89=B", "unknown_ai"),
        ("https://a.vn/01/08936012345674?99=A&999=faux", "unknown_ai"),
        ("https://a.vn/01/08936012345674/89/ABC?99=A", "unknown_ai"),
        ("https://a.vn/01/08936012345674?99=", "empty_value"),
        ("https://a.vn/01/08936012345674?99=A+B", "charset"),
        ("https://a.vn/253/8936012000013TEST", "check_digit"),
        ("https://a.vn/253/8936012000016TEST56789012345678", "length"),
    ];
    for (link, code) in refused {
        match parse(link) {
            Err(error) => assert_eq!(error.code(), code, "{link}: {error}"),
            Ok(p) => panic!("{link} was accepted: {p:?}"),
        }
    }
}

#[test]
fn links_announced_by_a_symbology_identifier_are_read() {
    let p = parse("]Q1https://id.gs1.org/01/08936012345674/10/L1").unwrap();
    assert_eq!(
        (p.kind.clone(), p.lot()),
        (PayloadKind::DigitalLink, Some("L1"))
    );
    assert_eq!(p.raw, "]Q1https://id.gs1.org/01/08936012345674/10/L1");
}

#[test]
fn hidden_characters_cannot_be_smuggled_in_through_escapes() {
    assert!(matches!(
        parse("https://vnptcheck.vn/check/ABC%E2%80%AE123"),
        Err(PayloadError::NotTraceabilityCode { .. })
    ));
    assert!(parse("https://id.gs1.org/01/08936012345674/10/A%E2%80%AEB").is_err());
}
