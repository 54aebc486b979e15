//! Lookups in the dictionary table: the rule for an AI, AI lengths, Digital Link primary keys
//! and their qualifiers, and the names people give fields.

use super::table;

/// One dictionary entry, for a single AI or a range of AIs of the same length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub ai: &'static str,
    pub last: &'static str,
    /// Predefined length: no FNC1/GS separator follows it in an element string.
    pub fixed: bool,
    /// Allowed as a Digital Link data attribute (in the query).
    pub dl_attribute: bool,
    /// Components such as `N13,csum,gcppos1 [X..17]`.
    pub spec: &'static str,
    /// `Some` for Digital Link primary keys: the allowed qualifier sequences, `|`-separated.
    pub dl_key: Option<&'static str>,
    /// Space-separated groups that must each be satisfied; in a group `,` separates
    /// alternatives and `+` joins AIs that must appear together.
    pub req: &'static str,
    pub ex: &'static str,
    pub title: &'static str,
}

impl Rule {
    /// A line of `table::RULES`.
    fn from_line(line: &'static str) -> Rule {
        let mut fields = line.split(';');
        let mut next = || fields.next().unwrap_or_default();
        let (ai, last, flags, spec) = (next(), next(), next(), next());
        let (dl_key, req, ex, title) = (next(), next(), next(), next());
        Rule {
            ai,
            last: if last.is_empty() { ai } else { last },
            fixed: flags.contains('f'),
            dl_attribute: flags.contains('d'),
            spec,
            dl_key: (dl_key != "-").then_some(dl_key),
            req,
            ex,
            title,
        }
    }
}

/// Every rule of the dictionary, in its order.
pub(super) fn rules() -> impl Iterator<Item = Rule> {
    table::RULES.lines().map(Rule::from_line)
}

/// The dictionary rule for an AI, None when the AI is not defined.
pub fn rule(ai: &str) -> Option<Rule> {
    if !(2..=4).contains(&ai.len()) || !ai.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Only the lines of AIs with the same first digit are read: a rule's range never spans
    // two (`91-99` spans second digits), and reading every line made a lookup twenty times
    // slower than in an array of rules.
    table::RULES
        .lines()
        .filter(|line| line.as_bytes().first() == ai.as_bytes().first())
        .map(Rule::from_line)
        .find(|r| r.ai.len() == ai.len() && r.ai <= ai && ai <= r.last)
}

/// The AI that starts an element string. GS1 AIs are prefix-free, so at most one length fits.
pub fn ai_at_start(data: &str) -> Option<(&str, Rule)> {
    (2..=4).find_map(|len| {
        let ai = data.get(..len)?;
        rule(ai).map(|r| (ai, r))
    })
}

/// The length of the AIs that start with `prefix` (GS1 AIs sharing their first two digits
/// share their length), None when no AI starts so.
pub fn ai_length(prefix: &str) -> Option<usize> {
    rules()
        .find(|r| r.ai.starts_with(prefix))
        .map(|r| r.ai.len())
}

pub fn is_primary_key(ai: &str) -> bool {
    rule(ai).is_some_and(|r| r.dl_key.is_some())
}

/// The qualifier sequences allowed after a primary key, e.g. `[[22, 10, 21], [235]]` for a GTIN;
/// empty for an AI that is not a key or takes no qualifiers.
pub fn qualifier_sequences(ai: &str) -> Vec<Vec<&'static str>> {
    match rule(ai).and_then(|r| r.dl_key) {
        Some(spec) if !spec.is_empty() => spec
            .split('|')
            .map(|seq| seq.split(',').collect())
            .collect(),
        _ => Vec::new(),
    }
}

/// Where the GS1 Company Prefix starts in a key's value (0-based), from the dictionary's
/// `gcpposN` flag: 1 for a GTIN or an SSCC (after the indicator or extension digit), 0 for a
/// GLN, 1 for a GRAI (after its leading zero). None when the AI holds no company prefix.
pub fn company_prefix_start(ai: &str) -> Option<usize> {
    let mut offset: usize = 0;
    for component in rule(ai)?.spec.split_whitespace() {
        let mut flags = component.split(',');
        let format = flags.next()?;
        if let Some(position) = flags.find_map(|flag| flag.strip_prefix("gcppos")) {
            return offset.checked_add(position.parse::<usize>().ok()?.checked_sub(1)?);
        }
        // Only a fixed-length component before the prefix lets its position be known.
        offset += format.get(1..)?.parse::<usize>().ok()?;
    }
    None
}

/// True when `ai` can qualify any key at all; such AIs belong in a Digital Link path.
pub fn is_key_qualifier(ai: &str) -> bool {
    rules()
        .filter_map(|r| r.dl_key)
        .any(|spec| spec.split(['|', ',']).any(|q| q == ai))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gs1::length_bounds;

    #[test]
    fn the_company_prefix_starts_where_the_dictionary_says() {
        assert_eq!(company_prefix_start("01"), Some(1));
        assert_eq!(company_prefix_start("00"), Some(1));
        assert_eq!(company_prefix_start("414"), Some(0));
        assert_eq!(company_prefix_start("8003"), Some(1));
        assert_eq!(company_prefix_start("8004"), Some(0));
        assert_eq!(company_prefix_start("10"), None);
        for rule in rules().filter(|r| r.dl_key.is_some()) {
            assert!(company_prefix_start(rule.ai).is_some(), "({})", rule.ai);
        }
    }

    /// Each line of the table reads back as the dictionary's entry: a key with no
    /// qualifiers is still a key, and a range's last AI is its own.
    #[test]
    fn a_table_line_is_read_back_as_its_rule() {
        let digsig = Rule {
            ai: "8030",
            last: "8030",
            fixed: false,
            dl_attribute: true,
            spec: "Z..90",
            dl_key: None,
            req: "00,01+21,03+21,253,255,8003,8004,8006+21,8010+8011,8017,8018",
            ex: "",
            title: "DIGSIG",
        };
        assert_eq!(rule("8030"), Some(digsig));
        assert_eq!(
            rule("00").map(|r| (r.dl_key, r.fixed)),
            Some((Some(""), true))
        );
        assert_eq!(rule("01").and_then(|r| r.dl_key), Some("22,10,21|235"));
        assert_eq!(rule("3105").map(|r| (r.ai, r.last)), Some(("3100", "3105")));
    }

    #[test]
    fn ranges_and_lengths_come_from_the_dictionary() {
        assert_eq!(rule("3103").map(|r| r.title), Some("NET WEIGHT (kg)"));
        assert!(rule("3106").is_none());
        assert_eq!(ai_at_start("3103000500").map(|(ai, _)| ai), Some("3103"));
        assert_eq!(length_bounds(&rule("253").unwrap()), (13, 30));
        assert_eq!(
            qualifier_sequences("01"),
            vec![vec!["22", "10", "21"], vec!["235"]]
        );
        assert!(qualifier_sequences("00").is_empty() && is_primary_key("00"));
        assert!(is_key_qualifier("254") && !is_key_qualifier("17"));
    }
}
