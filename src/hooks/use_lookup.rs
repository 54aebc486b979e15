//! Asking about a submitted code: the trust list from the widget's own portal, which says
//! whose resolver serves the stamp's domain; from that resolver only, all at once, the signed
//! record, the serial's scan history and the recalls; then one `Loaded` for the reducer to
//! judge.

use std::rc::Rc;

use futures_util::future::{join, join3};
use tem_core::TraceRecord;
use tem_core::record::RecallNotice;
use tem_core::scan::{ScanHistory, ScanRequest};
use tem_core::trust::TrustList;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::browser;
use crate::lookup::{Answers, FetchError, TrustHeld};
use crate::services::{portal, trust};
use crate::state::{Action, Check, State};

/// The province the shopper chose to share with scans, if any (kept on the device).
pub const PROVINCE_KEY: &str = "tem.province";

/// Whether looking a serialised stamp up counts as one more check of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// A shopper holding the stamp: the scan counter is what tells a copy from the original.
    Scan,
    /// A product page showing the stamp's record: counting it would make a genuine stamp read
    /// as copied after enough page views.
    View,
}

#[hook]
pub fn use_lookup(
    pending: Option<Rc<Check>>,
    portal: AttrValue,
    counting: Counting,
    state: UseReducerDispatcher<State>,
) {
    use_effect_with(pending, move |pending| {
        if let Some(check) = pending.clone() {
            spawn_local(async move {
                let answers = gather(&portal, &check, counting).await;
                browser::mark("tem:answers");
                state.dispatch(Action::Loaded {
                    seq: check.seq,
                    answers: Box::new(answers),
                });
            });
        }
    });
}

async fn gather(portal: &str, check: &Check, counting: Counting) -> Answers {
    let now = browser::unix_now();
    let stamp = &check.payload;
    let scan = match (stamp.gtin(), stamp.serial()) {
        (Some(gtin), Some(serial)) => Some(ScanRequest {
            gtin: gtin.to_string(),
            lot: stamp.lot().map(str::to_string),
            serial: serial.to_string(),
            province: browser::stored(PROVINCE_KEY).filter(|p| !p.is_empty()),
        }),
        _ => None,
    };
    let host = stamp.host.as_deref();
    // The trust list chooses the resolver. The list kept from the last check chooses it at
    // once, so the three requests need not wait for the fresh list, which is fetched beside
    // them; only when the fresh list chooses another resolver are they asked again, there.
    let guess = trust::kept(now).map(|list| chosen(&list, host, portal, now));
    let (trust, early) = match guess {
        Some(guessed) => {
            let asked = guessed.as_deref().unwrap_or(portal);
            let (trust, replies) = join(
                trust::current(portal, now),
                ask(asked, check, scan.as_ref(), counting),
            )
            .await;
            (trust, Some((guessed, replies)))
        }
        None => (trust::current(portal, now).await, None),
    };
    let resolver = match &trust {
        TrustHeld::List { list, .. } => chosen(list, host, portal, now),
        // Without a usable list the own portal is asked: the verdict cannot be Authentic
        // then, and no host the root has not vouched for is contacted.
        TrustHeld::Expired { .. } | TrustHeld::Unavailable(_) => None,
    };
    let replies = match early {
        Some((guessed, replies)) if guessed == resolver => replies,
        _ => {
            ask(
                resolver.as_deref().unwrap_or(portal),
                check,
                scan.as_ref(),
                counting,
            )
            .await
        }
    };
    Answers {
        trust,
        record: replies.record,
        record_cached_at: replies.record_cached_at,
        resolver,
        scans: replies.scans,
        recalls: replies.recalls,
        now: browser::unix_now(),
    }
}

/// What one resolver said about a code.
struct Replies {
    record: Result<String, FetchError>,
    record_cached_at: Option<i64>,
    scans: Option<Result<ScanHistory, FetchError>>,
    recalls: Result<Vec<RecallNotice>, FetchError>,
}

/// Asks `asked` for the record, the scan history and the recalls, all at once.
async fn ask(
    asked: &str,
    check: &Check,
    scan: Option<&ScanRequest>,
    counting: Counting,
) -> Replies {
    let stamp = &check.payload;
    let ((record, record_cached_at), scans, recalls) = join3(
        portal::fetch_record(asked, &check.target),
        async {
            match (scan, counting) {
                (Some(scan), Counting::Scan) => Some(portal::post_scan(asked, scan).await),
                (Some(scan), Counting::View) => Some(portal::fetch_scans(asked, scan).await),
                (None, _) => None,
            }
        },
        async {
            match stamp.gtin() {
                Some(gtin) => Some(portal::fetch_recalls(asked, gtin, stamp.lot()).await),
                None => None,
            }
        },
    )
    .await;
    let recalls = match recalls {
        Some(recalls) => recalls,
        // A typed-in record id names no product until the record is in.
        None => match record.as_deref().ok().and_then(unverified_record) {
            Some(record) => {
                portal::fetch_recalls(asked, &record.product.gtin, Some(&record.lot.lot)).await
            }
            None => Err(FetchError::Malformed("no product to ask about".into())),
        },
    };
    Replies {
        record,
        record_cached_at,
        scans,
        recalls,
    }
}

/// The resolver `list` names for the stamp's domain, unless it is the widget's own portal.
fn chosen(list: &TrustList, host: Option<&str>, portal: &str, now: i64) -> Option<String> {
    let own = portal::origin_of(portal);
    list.resolver_for(host, now)
        .filter(|resolver| *resolver != own)
        .map(str::to_string)
}

/// The record a JWS carries, unverified: only to know which product to ask recalls about.
fn unverified_record(jws: &str) -> Option<TraceRecord> {
    let parsed = tem_core::trust::jws::parse(jws).ok()?;
    TraceRecord::from_json(&parsed.payload).ok()
}
