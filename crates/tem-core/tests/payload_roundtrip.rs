//! Properties: a Digital Link built from valid elements parses back to the same elements, on
//! any base and path prefix; and no input whatsoever makes the parser panic.

use proptest::prelude::*;
use tem_core::gs1;
use tem_core::payload::{Element, Payload, PayloadKind, parse};

/// A GTIN-14 with a correct check digit.
fn gtin() -> impl Strategy<Value = String> {
    "[0-9]{13}".prop_map(|body| format!("{body}{}", gs1::gtin_check_digit(&body).unwrap_or(0)))
}

/// Values in GS1 character set 82, including the characters that need percent-encoding.
fn cset82(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[!\"%&'()*+,\\-./0-9:;<=>?A-Z_a-z]{{1,{max}}}"))
        .unwrap_or_else(|e| panic!("{e}"))
}

fn yymmdd() -> impl Strategy<Value = String> {
    (0u8..100, 1u8..13, 0u8..29).prop_map(|(y, m, d)| format!("{y:02}{m:02}{d:02}"))
}

/// Key qualifiers in one of the orders the standard allows for a GTIN.
fn qualifiers() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    prop_oneof![
        (
            proptest::option::of(cset82(20)),
            proptest::option::of(cset82(20)),
            proptest::option::of(cset82(20))
        )
            .prop_map(|(cpv, lot, serial)| {
                [("22", cpv), ("10", lot), ("21", serial)]
                    .into_iter()
                    .filter_map(|(ai, v)| v.map(|v| (ai, v)))
                    .collect()
            }),
        cset82(28).prop_map(|tpx| vec![("235", tpx)]),
    ]
}

fn attributes() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    (
        proptest::option::of(yymmdd()),
        proptest::option::of(yymmdd()),
        proptest::option::of("[0-9]{6}"),
        proptest::option::of("[0-9]{1,8}"),
    )
        .prop_map(|(expiry, best_before, weight, count)| {
            [
                ("15", best_before),
                ("17", expiry),
                ("30", count),
                ("3103", weight),
            ]
            .into_iter()
            .filter_map(|(ai, v)| v.map(|v| (ai, v)))
            .collect()
        })
}

fn base() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("https://id.gs1.org".to_string()),
        Just("https://brand.example.vn/p/".to_string()),
        "[a-z]{1,10}\\.vn(/[a-z]{1,8}){0,3}".prop_map(|rest| format!("https://{rest}")),
    ]
}

proptest! {
    #[test]
    fn digital_links_built_from_valid_elements_parse_back_to_them(
        gtin in gtin(), qualifiers in qualifiers(), attributes in attributes(), base in base(),
    ) {
        let mut elements = vec![Element::new("01", &gtin).unwrap()];
        for (ai, value) in qualifiers.iter().chain(&attributes) {
            elements.push(Element::new(ai, value).unwrap());
        }
        let built = Payload { kind: PayloadKind::DigitalLink, elements, host: None, warnings: vec![], raw: String::new() };
        let link = built.to_digital_link(&base).unwrap();
        let parsed = parse(&link).unwrap_or_else(|e| panic!("{link}: {e}"));
        prop_assert_eq!(&parsed.kind, &PayloadKind::DigitalLink);
        prop_assert_eq!(&parsed.elements, &built.elements, "{}", link);
        prop_assert_eq!(parsed.resolver_path(), built.resolver_path());
        prop_assert!(parsed.warnings.is_empty(), "{:?}", parsed.warnings);
    }

    #[test]
    fn element_strings_and_digital_links_of_the_same_data_agree(gtin in gtin(), qualifiers in qualifiers(), attributes in attributes()) {
        let mut bracketed = format!("(01){gtin}");
        for (ai, value) in attributes.iter().chain(&qualifiers) {
            bracketed.push_str(&format!("({ai}){value}"));
        }
        // Values holding "(NN)" that look like an AI would split differently; such stamps
        // are ambiguous in the bracketed form itself.
        prop_assume!(qualifiers.iter().chain(&attributes).all(|(_, v)| !v.contains('(')));
        let from_elements = parse(&bracketed).unwrap_or_else(|e| panic!("{bracketed}: {e}"));
        let link = from_elements.to_digital_link("https://id.gs1.org").unwrap();
        prop_assert_eq!(parse(&link).unwrap().elements, from_elements.elements);
    }

    #[test]
    fn no_text_makes_the_parser_panic(text in any::<String>()) {
        let _ = parse(&text);
    }

    #[test]
    fn no_link_shaped_text_makes_the_parser_panic(path in "(/[0-9a-zA-Z%_~.-]{0,20}){0,8}", query in "[0-9a-z=&%]{0,40}") {
        let _ = parse(&format!("https://id.gs1.org{path}?{query}"));
    }
}
