//! Asking the portal about a submitted code: the trust list, the signed record, the serial's
//! scan history and the recalls, all at once, then one `Loaded` for the reducer to judge.

use std::rc::Rc;

use futures_util::future::join4;
use tem_core::TraceRecord;
use tem_core::scan::ScanRequest;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::browser;
use crate::lookup::{Answers, FetchError};
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
    let (trust, (record, record_cached_at), scans, recalls) = join4(
        trust::current(portal, now),
        portal::fetch_record(portal, &check.target),
        async {
            match (&scan, counting) {
                (Some(scan), Counting::Scan) => Some(portal::post_scan(portal, scan).await),
                (Some(scan), Counting::View) => Some(portal::fetch_scans(portal, scan).await),
                (None, _) => None,
            }
        },
        async {
            match stamp.gtin() {
                Some(gtin) => Some(portal::fetch_recalls(portal, gtin, stamp.lot()).await),
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
                portal::fetch_recalls(portal, &record.product.gtin, Some(&record.lot.lot)).await
            }
            None => Err(FetchError::Malformed("no product to ask about".into())),
        },
    };
    Answers {
        trust,
        record,
        record_cached_at,
        scans,
        recalls,
        now: browser::unix_now(),
    }
}

/// The record a JWS carries, unverified: only to know which product to ask recalls about.
fn unverified_record(jws: &str) -> Option<TraceRecord> {
    let parsed = tem_core::trust::jws::parse(jws).ok()?;
    TraceRecord::from_json(&parsed.payload).ok()
}
