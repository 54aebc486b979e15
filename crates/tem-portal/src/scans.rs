//! Scan counting: each check of a serialised stamp is one row (time and, only when the shopper
//! chose to share it, the province), counted in the same transaction that adds it, so
//! concurrent scans lose no increment. No address, coordinates or anything about the shopper
//! is taken.

use tem_core::scan::{Activation, ScanHistory, ScanRequest, UnitState};

use crate::db::{Conn, DbError, Sql, SqlExt};

/// Records one scan of a unit at `at` (RFC 3339) and answers its history including it; None
/// when the portal has no such unit (or not in the lot given).
pub fn record(
    db: &mut Conn,
    request: &ScanRequest,
    at: &str,
) -> Result<Option<ScanHistory>, DbError> {
    // The count is of the rows there, the new one among them, once the insert is in: two
    // scans at once, through one portal or two, each count the other only when committed.
    let mut tx = db.write_transaction()?;
    if !unit_in_lot(&mut tx, request)? {
        return Ok(None);
    }
    tx.execute(
        "INSERT INTO scans (gtin, serial, at, province) VALUES (?1, ?2, ?3, ?4)",
        &[&request.gtin, &request.serial, &at, &request.province],
    )?;
    let history = history(&mut tx, &request.gtin, &request.serial)?;
    tx.commit()?;
    Ok(history)
}

fn unit_in_lot(db: &mut dyn Sql, request: &ScanRequest) -> Result<bool, DbError> {
    let lot: Option<String> = db.query_opt(
        "SELECT lot FROM units WHERE gtin = ?1 AND serial = ?2",
        &[&request.gtin, &request.serial],
        |r| r.get(0),
    )?;
    Ok(lot.is_some_and(|lot| request.lot.as_ref().is_none_or(|asked| *asked == lot)))
}

/// A unit's scan history and state without counting a scan; None for an unknown unit.
pub fn history(db: &mut dyn Sql, gtin: &str, serial: &str) -> Result<Option<ScanHistory>, DbError> {
    let unit: Option<(String, Option<String>, Option<String>)> = db.query_opt(
        "SELECT state, activated_at, retailer FROM units WHERE gtin = ?1 AND serial = ?2",
        &[&gtin, &serial],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let Some((state, activated_at, retailer)) = unit else {
        return Ok(None);
    };
    let (count, first_scan_at): (u64, Option<String>) = db.query_row(
        "SELECT COUNT(*), MIN(at) FROM scans WHERE gtin = ?1 AND serial = ?2",
        &[&gtin, &serial],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let provinces: Vec<String> = db.query_map(
        "SELECT province FROM scans WHERE gtin = ?1 AND serial = ?2 AND province IS NOT NULL
         GROUP BY province ORDER BY COUNT(*) DESC, province",
        &[&gtin, &serial],
        |r| r.get(0),
    )?;
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
