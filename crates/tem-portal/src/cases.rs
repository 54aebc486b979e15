//! Demo trust data: the issuers (the portal and the seeded enterprises) with their signing keys,
//! and one stamp for each thing a verdict can say — a genuine unit on its first scan, a lot
//! stamp, a recalled lot, an expired product, a cloned serial, a lookalike domain, a tampered
//! record, an unknown key, an expired key, a voided stamp. Each is written into the database as
//! the real thing would be (a voided unit is a unit marked void, a clone is a serial scanned in
//! five provinces, a tampered record is a signed record whose payload was changed afterwards),
//! so the portal serves them through the same code as everything else.

use tem_core::time::unix_to_rfc3339;

use crate::db::{Conn, DbError, Key, Sql, SqlExt};
use crate::seed::gtin;
use crate::signing;

const DAY: i64 = 86_400;

/// (id, company prefix digits after 893 it signs for, name vi, name en, its own domain)
const ISSUERS: &[(&str, &[&str], &str, &str, &str)] = &[
    (
        "portal",
        &["605678", "606789"],
        "Cổng truy xuất nguồn gốc tem (dữ liệu mẫu)",
        "tem traceability portal (demo data)",
        "truyxuat.tem.example.vn",
    ),
    (
        "phohien",
        &["601234"],
        "Công ty CP Nông sản Phố Hiến",
        "Phố Hiến Farm Produce JSC",
        "nongsanphohien.vn",
    ),
    (
        "cathai",
        &["602345"],
        "Công ty CP Chế biến Thủy sản và Nước mắm Cát Hải",
        "Cát Hải Seafood and Fish Sauce JSC",
        "nuocmamcathai.vn",
    ),
    (
        "minhson",
        &["603456"],
        "HTX Nông nghiệp Minh Sơn",
        "Minh Sơn Agricultural Cooperative",
        "minhson.coop.vn",
    ),
    (
        "phohienfoods",
        &["604567"],
        "Công ty TNHH Thực phẩm Phố Hiến",
        "Phố Hiến Foods Co., Ltd",
        "phohienfoods.vn",
    ),
];

/// (kid, issuer, valid from, valid until, in days from the seeding; published in the trust
/// list). Phố Hiến is mid-rollover: two keys valid at once. Cát Hải's old key has expired. The
/// unpublished key stands for a key nobody vouches for.
const KEYS: &[(&str, &str, i64, i64, bool)] = &[
    ("portal-2026", "portal", -90, 3 * 365, true),
    ("phohien-2025", "phohien", -500, 60, true),
    ("phohien-2026", "phohien", -30, 2 * 365, true),
    ("phohien-unlisted", "phohien", -30, 2 * 365, false),
    ("cathai-2024", "cathai", -800, -30, true),
    ("cathai-2026", "cathai", -60, 2 * 365, true),
    ("minhson-2026", "minhson", -120, 2 * 365, true),
    ("phohienfoods-2026", "phohienfoods", -200, 2 * 365, true),
];

const HONEY: (&str, &str) = ("601234", "567");

/// What a demo stamp shows; its name is in `stamps.json` for the tests and on the stamp page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    GenuineUnit,
    SoldUnit,
    LotStamp,
    Recalled,
    Expired,
    Cloned,
    LookalikeDomain,
    Tampered,
    UnknownKey,
    ExpiredKey,
    Void,
    LabelOnly,
    UnreceivedShipment,
}

impl Case {
    pub fn name(self) -> &'static str {
        match self {
            Case::GenuineUnit => "genuine_unit",
            Case::SoldUnit => "sold_unit",
            Case::LotStamp => "lot_stamp",
            Case::Recalled => "recalled",
            Case::Expired => "expired",
            Case::Cloned => "cloned",
            Case::LookalikeDomain => "lookalike_domain",
            Case::Tampered => "tampered",
            Case::UnknownKey => "unknown_key",
            Case::ExpiredKey => "expired_key",
            Case::Void => "void",
            Case::LabelOnly => "label_only",
            Case::UnreceivedShipment => "unreceived_shipment",
        }
    }

    /// What the stamp page says under the stamp.
    pub fn caption(self) -> &'static str {
        match self {
            Case::GenuineUnit => "Tem thật, quét lần đầu → Xác thực",
            Case::SoldUnit => "Tem thật, đã bán tại cửa hàng → Xác thực",
            Case::LotStamp => "Tem theo lô, không có sê-ri → Cần lưu ý",
            Case::Recalled => "Lô bị thu hồi → Đã thu hồi",
            Case::Expired => "Hết hạn sử dụng → Cần lưu ý",
            Case::Cloned => "Sê-ri bị sao chép (40 lần quét, 5 tỉnh) → Không xác thực",
            Case::LookalikeDomain => "Tên miền giả dạng → Không xác thực",
            Case::Tampered => "Hồ sơ bị sửa sau khi ký → Không xác thực",
            Case::UnknownKey => "Ký bằng khóa lạ → Cần lưu ý",
            Case::ExpiredKey => "Ký bằng khóa hết hạn → Cần lưu ý",
            Case::Void => "Tem đã bị hủy → Không xác thực",
            Case::LabelOnly => "Hồ sơ chỉ có thông tin nhãn → Cần lưu ý",
            Case::UnreceivedShipment => "Hàng xuất đi chưa được nhận → Cần lưu ý",
        }
    }
}

/// A demo stamp: its case, its product's (company, item reference), lot and serial.
type CaseStamp = (
    Case,
    (&'static str, &'static str),
    &'static str,
    Option<&'static str>,
);

const CASES: &[CaseStamp] = &[
    (Case::SoldUnit, HONEY, "MO2604", Some("A0001")),
    (Case::Cloned, HONEY, "MO2604", Some("A0002")),
    (Case::GenuineUnit, HONEY, "MO2604", Some("A0003")),
    (Case::Void, HONEY, "MO2604", Some("A0004")),
    (Case::Tampered, HONEY, "MO2604", Some("A0005")),
    (Case::UnknownKey, HONEY, "MO2604", Some("A0006")),
    (Case::LookalikeDomain, HONEY, "MO2604", Some("A0007")),
    (Case::LotStamp, HONEY, "MO2604", None),
    (
        Case::Recalled,
        ("603456", "305"),
        "NC2611-07",
        Some("NC0001"),
    ),
    (Case::Expired, ("605678", "011"), "MX2504", Some("MX0401")),
    (
        Case::ExpiredKey,
        ("602345", "101"),
        "CH2610-35",
        Some("CH0002"),
    ),
    (Case::LabelOnly, MOLASSES, "MM2611", Some("MM0001")),
    (
        Case::UnreceivedShipment,
        ("602345", "101"),
        "CH2611-36",
        Some("CH3601"),
    ),
];

/// A product whose record is its label and little else: made and packed at one place four
/// minutes apart, as records filled in "for show" are.
const MOLASSES: (&str, &str) = ("603456", "412");
/// The anchovy catch the fish sauce is made from, with a record of its own, so the sauce's
/// processing step names a lot the shopper can open ("one step back").
const CATCH: (&str, &str) = ("602345", "900");
const CATCH_LOT: &str = "CC2609-BLV";

/// The host the lookalike stamp points at: the national portal's name with a Cyrillic "о" in
/// "gov", which a phone shows just like the real one.
pub const LOOKALIKE_HOST: &str = "truyxuatnguongoc.g\u{43e}v.vn";

/// The demo case a stamp for `key` shows, if any.
pub fn case_of(key: &Key) -> Option<Case> {
    CASES
        .iter()
        .find_map(|(case, (company, item), lot, serial)| {
            (key.gtin == gtin(company, item)
                && key.lot.as_deref() == Some(*lot)
                && key.serial.as_deref() == *serial)
                .then_some(*case)
        })
}

fn key_of(company: &str, item: &str, lot: &str, serial: Option<&str>) -> Key {
    Key {
        gtin: gtin(company, item),
        lot: Some(lot.to_string()),
        serial: serial.map(str::to_string),
    }
}

/// Provinces the cloned serial was scanned in, and how many times each.
const CLONE_SCANS: &[(&str, u32)] = &[
    ("Hà Nội", 14),
    ("TP Hồ Chí Minh", 11),
    ("Hải Phòng", 7),
    ("Đà Nẵng", 5),
    ("Cần Thơ", 3),
];

/// Creates the issuers and their keys, signs every record, and writes the demo cases; does
/// nothing when issuers exist already. `now` is unix seconds.
pub fn seed(db: &mut Conn, now: i64) -> Result<(), DbError> {
    let count: i64 = db.query_row("SELECT COUNT(*) FROM issuers", &[], |r| r.get(0))?;
    if count > 0 {
        return Ok(());
    }
    let mut tx = db.transaction()?;
    for (id, companies, vi, en, domain) in ISSUERS {
        let prefixes: Vec<String> = companies.iter().map(|c| format!("893{c}")).collect();
        tx.execute(
            "INSERT INTO issuers (id, name_vi, name_en, domains, gcp) VALUES (?1, ?2, ?3, ?4, ?5)",
            // id.gs1.org is GS1's global resolver, which sends a stamp on to its brand's.
            &[
                &id,
                &vi,
                &en,
                &format!("{domain}\nid.gs1.org"),
                &prefixes.join("\n"),
            ],
        )?;
        for company in *companies {
            tx.execute(
                "UPDATE products SET issuer_id = ?1 WHERE substr(gtin, 2, 9) = ?2",
                &[&id, &format!("893{company}")],
            )?;
        }
    }
    for (kid, issuer, from, until, published) in KEYS {
        let key = signing::generate_key(kid).map_err(|e| DbError::Invalid {
            detail: e.to_string(),
        })?;
        signing::store_key(
            &mut tx,
            issuer,
            &key,
            Some(now + from * DAY),
            Some(now + until * DAY),
            *published,
        )?;
    }
    write_records(&mut tx)?;
    signing::sign_unsigned(&mut tx, now)?;
    write_cases(&mut tx, now)?;
    tx.commit()
}

/// The records the depth cases need, written before anything is signed.
/// An event of the depth cases: what, when, where and by whom, in both languages.
struct Step<'a> {
    id: &'a str,
    gtin: &'a str,
    lot: &'a str,
    time: &'a str,
    kind: &'a str,
    step: &'a str,
    place: &'a str,
    actor: &'a str,
    vi: &'a str,
    en: &'a str,
}

fn event(db: &mut dyn Sql, e: Step) -> Result<usize, DbError> {
    db.execute(
        "INSERT INTO events (id, gtin, lot, time, event_type, biz_step, disposition, location_gln,
                             actor_gln, summary_vi, summary_en)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'active', ?7, ?8, ?9, ?10)",
        &[
            &e.id, &e.gtin, &e.lot, &e.time, &e.kind, &e.step, &e.place, &e.actor, &e.vi, &e.en,
        ],
    )
}

fn item(db: &mut dyn Sql, event: &str, role: &str, item: &str) -> Result<usize, DbError> {
    db.execute(
        "INSERT INTO event_items (event_id, role, position, item) VALUES (?1, ?2, 0, ?3)",
        &[&event, &role, &item],
    )
}

fn write_records(db: &mut dyn Sql) -> Result<(), DbError> {
    // Mật mía: the label, a commissioning and a packing at one address four minutes apart.
    let (company, item_ref) = MOLASSES;
    let molasses = gtin(company, item_ref);
    let facility = crate::seed::gln(company, "210");
    let producer = crate::seed::gln(company, "000");
    db.execute(
        "INSERT INTO products (gtin, name_vi, name_en, brand, description_vi, description_en, origin,
                               net_content, standards, image, producer_gln, issuer_id)
         VALUES (?1, 'Mật mía Ngọc Lặc', 'Ngọc Lặc sugarcane molasses', 'Nông sản Ngọc Lặc',
                 'Mật mía nấu từ mía tím Ngọc Lặc.', 'Molasses boiled from Ngọc Lặc purple cane.',
                 'Ngọc Lặc, Thanh Hóa, Việt Nam', '500 ml', 'OCOP 3 sao',
                 '/media/mia-tim-ngoc-lac.svg', ?2, 'minhson')",
        &[&molasses, &producer],
    )?;
    db.execute(
        "INSERT INTO lots (gtin, lot, production_date, expiry_date) VALUES (?1, 'MM2611', '2026-11-15', '2027-11-15')",
        &[&molasses],
    )?;
    db.execute(
        "INSERT INTO units (gtin, serial, lot) VALUES (?1, 'MM0001', 'MM2611')",
        &[&molasses],
    )?;
    let lot = format!("(01){molasses}(10)MM2611");
    event(
        db,
        Step {
            id: "ev-mm-1",
            gtin: &molasses,
            lot: "MM2611",
            time: "2026-11-15T10:00:00+07:00",
            kind: "ObjectEvent",
            step: "commissioning",
            place: &facility,
            actor: &producer,
            vi: "Tạo mã lô sản phẩm",
            en: "Lot code created",
        },
    )?;
    item(db, "ev-mm-1", "output", &lot)?;
    event(
        db,
        Step {
            id: "ev-mm-2",
            gtin: &molasses,
            lot: "MM2611",
            time: "2026-11-15T10:04:00+07:00",
            kind: "AggregationEvent",
            step: "packing",
            place: &facility,
            actor: &producer,
            vi: "In và dán tem",
            en: "Stamps printed and applied",
        },
    )?;
    item(db, "ev-mm-2", "input", &format!("(01){molasses}(21)MM0001"))?;

    // The fish sauce lot shipped to the shop and never received there.
    let sauce = gtin("602345", "101");
    db.execute(
        "DELETE FROM event_items WHERE event_id IN (SELECT id FROM events
             WHERE gtin = ?1 AND lot = 'CH2611-36' AND biz_step IN ('receiving', 'retail_selling'))",
        &[&sauce],
    )?;
    db.execute(
        "DELETE FROM events WHERE gtin = ?1 AND lot = 'CH2611-36'
             AND biz_step IN ('receiving', 'retail_selling')",
        &[&sauce],
    )?;

    // The anchovies landed at Cát Hải, and the sauce's fermentation naming them as its input.
    let (company, item_ref) = CATCH;
    let catch = gtin(company, item_ref);
    let port = crate::seed::gln(company, "101");
    let vats = crate::seed::gln(company, "201");
    let maker = crate::seed::gln(company, "000");
    db.execute(
        "INSERT INTO products (gtin, name_vi, name_en, brand, description_vi, description_en, origin,
                               net_content, standards, image, producer_gln, issuer_id)
         VALUES (?1, 'Cá cơm tươi Bạch Long Vĩ (nguyên liệu)', 'Fresh Bạch Long Vĩ anchovies (raw material)',
                 'Nước mắm Cát Hải', 'Cá cơm đánh bắt vùng biển Bạch Long Vĩ, nguyên liệu ủ chượp.',
                 'Anchovies caught off Bạch Long Vĩ, for fermentation.', 'Biển Bạch Long Vĩ, Hải Phòng, Việt Nam',
                 '2 tấn', 'Giấy xác nhận nguồn gốc thủy sản khai thác', '/media/nuoc-mam-cat-hai.svg', ?2, 'cathai')",
        &[&catch, &maker],
    )?;
    db.execute(
        "INSERT INTO lots (gtin, lot, production_date, expiry_date) VALUES (?1, ?2, '2025-09-17', '2025-09-20')",
        &[&catch, &CATCH_LOT],
    )?;
    let catch_lot = format!("(01){catch}(10){CATCH_LOT}");
    event(
        db,
        Step {
            id: "ev-cc-1",
            gtin: &catch,
            lot: CATCH_LOT,
            time: "2025-09-16T04:30:00+07:00",
            kind: "ObjectEvent",
            step: "commissioning",
            place: &port,
            actor: &maker,
            vi: "Tàu cá cập cảng Cát Hải, cân và ghi nhật ký khai thác",
            en: "Boat landed at Cát Hải port; catch weighed and logged",
        },
    )?;
    item(db, "ev-cc-1", "output", &catch_lot)?;
    event(
        db,
        Step {
            id: "ev-cc-2",
            gtin: &catch,
            lot: CATCH_LOT,
            time: "2025-09-16T05:10:00+07:00",
            kind: "ObjectEvent",
            step: "shipping",
            place: &port,
            actor: &maker,
            vi: "Chở cá về nhà thùng",
            en: "Taken to the fermentation house",
        },
    )?;
    item(db, "ev-cc-2", "output", &catch_lot)?;
    event(
        db,
        Step {
            id: "ev-cc-3",
            gtin: &catch,
            lot: CATCH_LOT,
            time: "2025-09-16T05:40:00+07:00",
            kind: "ObjectEvent",
            step: "receiving",
            place: &vats,
            actor: &maker,
            vi: "Nhà thùng nhận cá",
            en: "Received at the fermentation house",
        },
    )?;
    item(db, "ev-cc-3", "output", &catch_lot)?;
    db.execute(
        "UPDATE event_items SET item = ?2 WHERE role = 'input' AND event_id IN
             (SELECT id FROM events WHERE gtin = ?1 AND lot = 'CH2610-35' AND event_type = 'TransformationEvent')",
        &[&sauce, &catch_lot],
    )?;
    Ok(())
}

fn resign_with(db: &mut dyn Sql, key: &Key, kid: &str, now: i64) -> Result<(), DbError> {
    if let Some(signing_key) = signing::key_by_kid(db, kid)? {
        signing::sign_record(db, key, Some(&signing_key), now)?;
    }
    Ok(())
}

fn write_cases(db: &mut dyn Sql, now: i64) -> Result<(), DbError> {
    let honey = |serial| key_of(HONEY.0, HONEY.1, "MO2604", Some(serial));
    // Rollover: the honey's second lot keeps its signature by the older of two valid keys.
    resign_with(
        db,
        &key_of(HONEY.0, HONEY.1, "MO2609", None),
        "phohien-2025",
        now,
    )?;
    resign_with(db, &honey("A0006"), "phohien-unlisted", now)?;
    resign_with(
        db,
        &key_of("602345", "101", "CH2610-35", Some("CH0002")),
        "cathai-2024",
        now,
    )?;
    tamper(db, &honey("A0005"))?;
    db.execute(
        "UPDATE units SET state = 'void' WHERE gtin = ?1 AND serial = 'A0004'",
        &[&gtin(HONEY.0, HONEY.1)],
    )?;
    db.execute(
        "UPDATE units SET state = 'activated', activated_at = ?2, retailer = ?3
         WHERE gtin = ?1 AND serial = 'A0001'",
        &[
            &gtin(HONEY.0, HONEY.1),
            &"2026-05-12T10:20:00+07:00",
            &"Cửa hàng Đặc sản Ba Miền – Hàng Bạc, Hà Nội",
        ],
    )?;
    // Forty checks of one serial over three weeks, in five provinces: copies on five markets.
    let mut minutes = 0i64;
    for (province, times) in CLONE_SCANS {
        for _ in 0..*times {
            minutes += 757;
            db.execute(
                "INSERT INTO scans (gtin, serial, at, province) VALUES (?1, 'A0002', ?2, ?3)",
                &[
                    &gtin(HONEY.0, HONEY.1),
                    &unix_to_rfc3339(now - 22 * DAY + minutes * 60),
                    &province,
                ],
            )?;
        }
    }
    Ok(())
}

/// Changes the stored record's payload after signing — a later expiry, as a reseller of old
/// stock would want — keeping the header and the signature.
fn tamper(db: &mut dyn Sql, key: &Key) -> Result<(), DbError> {
    let Some(id) = crate::db::record_id(db, key)? else {
        return Ok(());
    };
    let Some(signed) = signing::signed_record(db, &id)? else {
        return Ok(());
    };
    let parts: Vec<&str> = signed.split('.').collect();
    let Some(payload) = parts.get(1).and_then(|p| tem_core::base64url::decode(p)) else {
        return Ok(());
    };
    let changed = String::from_utf8_lossy(&payload).replace("\"2028-05-05\"", "\"2029-05-05\"");
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        tem_core::base64url::encode(changed.as_bytes()),
        parts.get(2).unwrap_or(&"")
    );
    signing::store_signed(db, &id, &forged, "phohien-2026", &unix_to_rfc3339(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_names_a_seeded_lot_or_unit() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = crate::db::open_in(&dir);
        crate::seed::seed(&mut db, None, 0).unwrap();
        seed(&mut db, 1_764_600_000).unwrap();
        for (case, (company, item), lot, serial) in CASES {
            let key = key_of(company, item, lot, *serial);
            let id = crate::db::record_id(&mut db, &key).unwrap();
            let signed = id.and_then(|id| signing::signed_record(&mut db, &id).unwrap());
            assert!(signed.is_some(), "{}", case.name());
        }
    }

    #[test]
    fn the_tampered_record_differs_from_what_was_signed() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = crate::db::open_in(&dir);
        crate::seed::seed(&mut db, None, 0).unwrap();
        seed(&mut db, 1_764_600_000).unwrap();
        let key = key_of(HONEY.0, HONEY.1, "MO2604", Some("A0005"));
        let id = crate::db::record_id(&mut db, &key).unwrap().unwrap();
        let signed = signing::signed_record(&mut db, &id).unwrap().unwrap();
        let payload = tem_core::base64url::decode(signed.split('.').nth(1).unwrap()).unwrap();
        assert!(String::from_utf8(payload).unwrap().contains("2029-05-05"));
    }
}
