//! Which AIs one stamp may carry together: duplicates, required companions and exclusions.

use super::error::Gs1Error;
use super::rules::rule;

/// Checks that each AI's required companions are present and no excluded AI is, over all
/// the AIs one stamp carries.
pub fn check_pairings(ais: &[&str]) -> Result<(), Gs1Error> {
    for (index, ai) in ais.iter().enumerate() {
        if ais[..index].contains(ai) {
            return Err(Gs1Error::Duplicate { ai: ai.to_string() });
        }
    }
    for &ai in ais {
        let Some(rule) = rule(ai) else { continue };
        for group in rule.req.split_whitespace() {
            let satisfied = group.split(',').any(|alternative| {
                alternative
                    .split('+')
                    .all(|needed| ais.iter().any(|a| matches_pattern(a, needed)))
            });
            if !satisfied {
                let alternatives = group
                    .split(',')
                    .map(|alternative| {
                        alternative
                            .split('+')
                            .map(|a| format!("({a})"))
                            .collect::<String>()
                    })
                    .collect::<Vec<_>>()
                    .join(" or ");
                return Err(Gs1Error::Requires {
                    ai: ai.to_string(),
                    alternatives,
                });
            }
        }
        for pattern in rule.ex.split([' ', ',']).filter(|p| !p.is_empty()) {
            if let Some(other) = ais
                .iter()
                .find(|a| **a != ai && matches_pattern(a, pattern))
            {
                return Err(Gs1Error::Excludes {
                    ai: ai.to_string(),
                    other: other.to_string(),
                });
            }
        }
    }
    Ok(())
}

/// `n` in a dictionary pattern such as `310n` stands for any digit.
fn matches_pattern(ai: &str, pattern: &str) -> bool {
    ai.len() == pattern.len()
        && ai
            .bytes()
            .zip(pattern.bytes())
            .all(|(a, p)| p == b'n' || a == p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairings_follow_req_and_ex() {
        assert!(check_pairings(&["01", "10", "17", "21"]).is_ok());
        assert_eq!(
            check_pairings(&["10"]).unwrap_err().to_string(),
            "AI (10) BATCH/LOT is only valid together with (01) or (02) or (03) or (8006) or (8026)"
        );
        assert!(matches!(
            check_pairings(&["01", "3103", "3102"]),
            Err(Gs1Error::Excludes { .. })
        ));
        assert!(matches!(
            check_pairings(&["01", "21", "235"]),
            Err(Gs1Error::Excludes { .. })
        ));
        assert!(matches!(
            check_pairings(&["01", "01"]),
            Err(Gs1Error::Duplicate { .. })
        ));
    }
}
