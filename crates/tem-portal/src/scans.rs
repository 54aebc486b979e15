//! Scan counting: each check of a serialised stamp is one row (time and, only when the shopper
//! chose to share it, the province), counted in the same transaction that adds it, so
//! concurrent scans lose no increment. No address, coordinates or anything about the shopper
//! is taken.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use tem_core::scan::{Activation, ScanHistory, ScanRequest, UnitState};

/// Records one scan of a unit at `at` (RFC 3339) and answers its history including it; None
/// when the portal has no such unit (or not in the lot given).
pub fn record(
    db: &mut Connection,
    request: &ScanRequest,
    at: &str,
) -> rusqlite::Result<Option<ScanHistory>> {
    // IMMEDIATE takes the write lock before reading, so two scans cannot both read the old
    // count.
    let tx = db.transaction_with_behavior(TransactionBehavior::Immediate)?;
    if !unit_in_lot(&tx, request)? {
        return Ok(None);
    }
    tx.execute(
        "INSERT INTO scans (gtin, serial, at, province) VALUES (?1, ?2, ?3, ?4)",
        params![request.gtin, request.serial, at, request.province],
    )?;
    let history = history(&tx, &request.gtin, &request.serial)?;
    tx.commit()?;
    Ok(history)
}

fn unit_in_lot(db: &Connection, request: &ScanRequest) -> rusqlite::Result<bool> {
    let lot: Option<String> = db
        .query_row(
            "SELECT lot FROM units WHERE gtin = ?1 AND serial = ?2",
            params![request.gtin, request.serial],
            |r| r.get(0),
        )
        .optional()?;
    Ok(lot.is_some_and(|lot| request.lot.as_ref().is_none_or(|asked| *asked == lot)))
}

/// A unit's scan history and state without counting a scan; None for an unknown unit.
pub fn history(db: &Connection, gtin: &str, serial: &str) -> rusqlite::Result<Option<ScanHistory>> {
    let unit: Option<(String, Option<String>, Option<String>)> = db
        .query_row(
            "SELECT state, activated_at, retailer FROM units WHERE gtin = ?1 AND serial = ?2",
            params![gtin, serial],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let Some((state, activated_at, retailer)) = unit else {
        return Ok(None);
    };
    let (count, first_scan_at): (u64, Option<String>) = db.query_row(
        "SELECT COUNT(*), MIN(at) FROM scans WHERE gtin = ?1 AND serial = ?2",
        params![gtin, serial],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut statement = db.prepare(
        "SELECT province FROM scans WHERE gtin = ?1 AND serial = ?2 AND province IS NOT NULL
         GROUP BY province ORDER BY COUNT(*) DESC, province",
    )?;
    let provinces = statement
        .query_map(params![gtin, serial], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    let state = match state.as_str() {
        "activated" => UnitState::Activated,
        "void" => UnitState::Void,
        _ => UnitState::Issued,
    };
    let activated = match (activated_at, retailer) {
        (Some(at), Some(retailer)) => Some(Activation { at, retailer }),
        _ => None,
    };
    Ok(Some(ScanHistory {
        count,
        first_scan_at,
        provinces,
        state,
        activated,
    }))
}
