//! What the resolver asks the database: which levels of a Digital Link the portal knows, and
//! the product's name to describe them. Existence checks only, so that listing links never
//! builds (or, later, signs) a trace record.

use rusqlite::{Connection, OptionalExtension, params};

/// A product as the linkset describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Product {
    pub name_vi: String,
    pub name_en: Option<String>,
    /// A path under `/media/`, when the product has a picture.
    pub image: Option<String>,
    /// Whether the product has a lot, and so a record of its own (its latest lot's).
    pub has_lots: bool,
}

pub fn product(db: &Connection, gtin: &str) -> rusqlite::Result<Option<Product>> {
    db.query_row(
        "SELECT name_vi, name_en, image, EXISTS (SELECT 1 FROM lots WHERE lots.gtin = products.gtin)
         FROM products WHERE gtin = ?1",
        params![gtin],
        |row| {
            Ok(Product {
                name_vi: row.get(0)?,
                name_en: row.get(1)?,
                image: row.get(2)?,
                has_lots: row.get(3)?,
            })
        },
    )
    .optional()
}

pub fn lot_exists(db: &Connection, gtin: &str, lot: &str) -> rusqlite::Result<bool> {
    db.query_row(
        "SELECT EXISTS (SELECT 1 FROM lots WHERE gtin = ?1 AND lot = ?2)",
        params![gtin, lot],
        |row| row.get(0),
    )
}

/// The lot a serialised unit belongs to, or None for a serial the portal does not know.
pub fn unit_lot(db: &Connection, gtin: &str, serial: &str) -> rusqlite::Result<Option<String>> {
    db.query_row(
        "SELECT lot FROM units WHERE gtin = ?1 AND serial = ?2",
        params![gtin, serial],
        |row| row.get(0),
    )
    .optional()
}
