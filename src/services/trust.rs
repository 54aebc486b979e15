//! The trust list the widget checks signatures with: fetched from the portal on each check,
//! verified against the root keys built into this wasm, and the last good copy kept on the
//! device so a shopper in a store with no signal still has one — with its age always shown.

use tem_core::trust::{Jwk, JwkSet, TrustList, TrustListError};

use crate::browser;
use crate::i18n::Msg;
use crate::lookup::TrustHeld;
use crate::services::portal;

/// The roots that sign trust lists. A deployment puts its own in `trust/roots.json` before
/// building; the demo's is the one its portal signs with.
const ROOTS: &str = include_str!("../../trust/roots.json");
/// The last good list and when it was fetched, as two plain values.
const KEPT_LIST: &str = "tem.trust-list";
const KEPT_AT: &str = "tem.trust-list.fetched-at";

fn roots() -> Vec<Jwk> {
    tem_core::json::from_slice::<JwkSet>(ROOTS.as_bytes())
        .map(|set| set.keys)
        .unwrap_or_default()
}

/// `jws` judged as every list the widget holds is: signed by a built-in root, current at `now`.
pub fn judged(jws: &str, now: i64) -> Result<TrustList, TrustListError> {
    TrustList::from_signed(jws, &roots(), now)
}

/// Where a deep link's page carries the portal's trust list, which saves the check a round
/// trip; it is judged as a fetched one would be, and used for the first check only.
const INLINE_LIST_ID: &str = "tem-trust-list";

/// The list to check this code's signatures with, `now` in unix seconds.
pub async fn current(portal: &str, now: i64) -> TrustHeld {
    let fresh = match browser::take_text(INLINE_LIST_ID) {
        Some(jws) => Ok(jws),
        None => portal::fetch_trust_list(portal).await,
    };
    let fresh_problem = match fresh {
        Ok(jws) => match judged(&jws, now) {
            Ok(list) => {
                browser::store(KEPT_LIST, &jws);
                browser::store(KEPT_AT, &now.to_string());
                return TrustHeld::List {
                    list,
                    fetched_at: now,
                    cached: false,
                };
            }
            // A list the root did not sign is never kept; the last good one still serves.
            Err(_) => Msg::TrustListInvalid.both(),
        },
        Err(error) => error.text(),
    };
    match kept_jws() {
        Some((jws, fetched_at)) => match judged(&jws, now) {
            Ok(list) => TrustHeld::List {
                list,
                fetched_at,
                cached: true,
            },
            Err(TrustListError::Expired { exp, .. }) => TrustHeld::Expired { exp, fetched_at },
            Err(_) => TrustHeld::Unavailable(fresh_problem),
        },
        None => TrustHeld::Unavailable(fresh_problem),
    }
}

/// The list kept from the last good fetch, if it still verifies and is current at `now`.
pub fn kept(now: i64) -> Option<TrustList> {
    let (jws, _) = kept_jws()?;
    judged(&jws, now).ok()
}

fn kept_jws() -> Option<(String, i64)> {
    browser::stored(KEPT_LIST).zip(browser::stored(KEPT_AT).and_then(|at| at.parse::<i64>().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_roots_are_public_ed25519_keys() {
        let roots = roots();
        assert!(!roots.is_empty());
        for root in roots {
            assert_eq!(root.crv.as_deref(), Some("Ed25519"));
            assert!(
                root.d.is_none(),
                "a private root key must never be built in"
            );
        }
    }
}
