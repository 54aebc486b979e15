//! What the resolver asks the database: which levels of a Digital Link the portal knows, and
//! the product's name to describe them. Existence checks only, so that listing links never
//! builds (or, later, signs) a trace record.

use crate::db::{DbError, Sql, SqlExt};

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

pub fn product(db: &mut dyn Sql, gtin: &str) -> Result<Option<Product>, DbError> {
    db.query_opt(
        "SELECT name_vi, name_en, image, EXISTS (SELECT 1 FROM lots WHERE lots.gtin = products.gtin)
         FROM products WHERE gtin = ?1",
        &[&gtin],
        |row| {
            Ok(Product {
                name_vi: row.get(0)?,
                name_en: row.get(1)?,
                image: row.get(2)?,
                has_lots: row.get(3)?,
            })
        },
    )
}

pub fn lot_exists(db: &mut dyn Sql, gtin: &str, lot: &str) -> Result<bool, DbError> {
    db.query_row(
        "SELECT EXISTS (SELECT 1 FROM lots WHERE gtin = ?1 AND lot = ?2)",
        &[&gtin, &lot],
        |row| row.get(0),
    )
}

/// The lot a serialised unit belongs to, or None for a serial the portal does not know.
pub fn unit_lot(db: &mut dyn Sql, gtin: &str, serial: &str) -> Result<Option<String>, DbError> {
    db.query_opt(
        "SELECT lot FROM units WHERE gtin = ?1 AND serial = ?2",
        &[&gtin, &serial],
        |row| row.get(0),
    )
}
