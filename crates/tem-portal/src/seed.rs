//! Demo data: OCOP and specialty products of the kind the Vietnamese traceability programmes put
//! first (Hưng Yên, Hải Phòng, Thanh Hóa, Huế), each with its producer, places, lots, serialised
//! units and a production → processing → distribution history. Identifiers are real GS1
//! structures with valid check digits.
//!
//! Only what an operator registers is written here: the products and their producers. Their
//! lots, units, places and histories are EPCIS 2.0 documents (`demo/*.jsonld`, one per
//! enterprise) captured through the very path enterprises use (`crate::capture`), producers
//! first, then the distributor who ships their pallets.

use tem_core::gs1::gtin_check_digit;

use crate::capture::{self, Schema};
use crate::db::{Conn, DbError, Sql, SqlExt};
use crate::error::PortalError;

/// A GS1 key from the digits before its check digit.
fn with_check_digit(body: &str) -> String {
    format!("{body}{}", gtin_check_digit(body).unwrap_or(0))
}

pub(crate) fn gtin(company: &str, item: &str) -> String {
    format!("0{}", with_check_digit(&format!("893{company}{item}")))
}

pub(crate) fn gln(company: &str, location: &str) -> String {
    with_check_digit(&format!("893{company}{location}"))
}

struct Product {
    company: &'static str,
    item: &'static str,
    slug: &'static str,
    name: (&'static str, &'static str),
    brand: &'static str,
    description: (&'static str, &'static str),
    origin: &'static str,
    net_content: &'static str,
    standards: &'static [&'static str],
    producer: (&'static str, &'static str),
}

/// Each enterprise's EPCIS document, by its company, in the order they are captured.
const DOCUMENTS: &[(&str, &str)] = &[
    ("601234", include_str!("../demo/893601234.jsonld")),
    ("602345", include_str!("../demo/893602345.jsonld")),
    ("603456", include_str!("../demo/893603456.jsonld")),
    ("604567", include_str!("../demo/893604567.jsonld")),
    ("605678", include_str!("../demo/893605678.jsonld")),
    ("606789", include_str!("../demo/893606789.jsonld")),
    (
        DISTRIBUTOR_COMPANY,
        include_str!("../demo/893600900.jsonld"),
    ),
];

const DISTRIBUTOR: &str = "Công ty CP Phân phối Nông sản Ba Miền";
const DISTRIBUTOR_COMPANY: &str = "600900";

const PRODUCTS: &[Product] = &[
    Product {
        company: "601234",
        item: "567",
        slug: "mat-ong-hoa-nhan",
        name: ("Mật ong hoa nhãn Hưng Yên", "Hưng Yên longan-flower honey"),
        brand: "Ong Phố Hiến",
        description: (
            "Mật ong nguyên chất từ hoa nhãn lồng Hưng Yên, thu vào vụ hoa tháng 3–4.",
            "Pure honey from Hưng Yên longan flowers, taken in the March–April bloom.",
        ),
        origin: "Khoái Châu, Hưng Yên, Việt Nam",
        net_content: "500 ml",
        standards: &["OCOP 4 sao", "TCVN 12605:2019", "VietGAP"],
        producer: (
            "HTX Nuôi ong Phố Hiến",
            "Thôn Đông Kết, xã Đông Kết, Khoái Châu, Hưng Yên",
        ),
    },
    Product {
        company: "601234",
        item: "574",
        slug: "long-nhan",
        name: ("Long nhãn sấy Hưng Yên", "Hưng Yên dried longan"),
        brand: "Nhãn lồng Phố Hiến",
        description: (
            "Cùi nhãn lồng Hưng Yên sấy khô theo cách truyền thống, không chất bảo quản.",
            "Flesh of Hưng Yên longan, dried the traditional way, without preservatives.",
        ),
        origin: "TP Hưng Yên, Hưng Yên, Việt Nam",
        net_content: "250 g",
        standards: &["OCOP 4 sao", "VietGAP"],
        producer: (
            "HTX Nhãn lồng Hồng Nam",
            "Thôn Nễ Châu, xã Hồng Nam, TP Hưng Yên",
        ),
    },
    Product {
        company: "602345",
        item: "101",
        slug: "nuoc-mam-cat-hai",
        name: (
            "Nước mắm cá cơm Cát Hải 35 độ đạm",
            "Cát Hải anchovy fish sauce, 35° protein",
        ),
        brand: "Nước mắm Cát Hải",
        description: (
            "Nước mắm truyền thống ủ chượp trong thùng gỗ 12 tháng từ cá cơm và muối biển.",
            "Traditional fish sauce, anchovies and sea salt fermented 12 months in wooden vats.",
        ),
        origin: "Cát Hải, Hải Phòng, Việt Nam",
        net_content: "500 ml",
        standards: &["OCOP 4 sao", "TCVN 5107:2018"],
        producer: (
            "Công ty CP Chế biến Thủy sản và Nước mắm Cát Hải",
            "Thị trấn Cát Hải, huyện Cát Hải, Hải Phòng",
        ),
    },
    Product {
        company: "603456",
        item: "210",
        slug: "mia-tim-ngoc-lac",
        name: ("Mía tím Ngọc Lặc", "Ngọc Lặc purple sugarcane"),
        brand: "Nông sản Ngọc Lặc",
        description: (
            "Mía tím vùng đồi Ngọc Lặc, thân mềm, ngọt thanh.",
            "Purple sugarcane from the Ngọc Lặc hills, tender and mildly sweet.",
        ),
        origin: "Ngọc Lặc, Thanh Hóa, Việt Nam",
        net_content: "Bó 10 cây",
        standards: &["VietGAP"],
        producer: (
            "HTX Nông nghiệp Minh Sơn",
            "Xã Minh Sơn, huyện Ngọc Lặc, Thanh Hóa",
        ),
    },
    Product {
        company: "603456",
        item: "305",
        slug: "nem-chua",
        name: ("Nem chua Thanh Hóa", "Thanh Hóa fermented pork roll"),
        brand: "Nem Ngọc Lặc",
        description: (
            "Nem chua lá chuối từ thịt lợn nạc và bì, lên men tự nhiên 3 ngày.",
            "Pork and pork-skin roll wrapped in banana leaves, naturally fermented for 3 days.",
        ),
        origin: "Ngọc Lặc, Thanh Hóa, Việt Nam",
        net_content: "Chục 10 cái",
        standards: &["OCOP 3 sao", "Giấy chứng nhận cơ sở đủ điều kiện ATTP"],
        producer: (
            "Cơ sở Nem chua Hương Quê",
            "Thị trấn Ngọc Lặc, huyện Ngọc Lặc, Thanh Hóa",
        ),
    },
    Product {
        company: "604567",
        item: "020",
        slug: "nuoc-nhan",
        name: ("Nước nhãn lồng đóng chai", "Bottled longan drink"),
        brand: "Phố Hiến Drinks",
        description: (
            "Nước uống từ nhãn lồng Hưng Yên, ít đường, thanh trùng.",
            "Drink made from Hưng Yên longan, low sugar, pasteurised.",
        ),
        origin: "Hưng Yên, Việt Nam",
        net_content: "330 ml",
        standards: &["ISO 22000:2018", "QCVN 6-2:2010/BYT"],
        producer: (
            "Công ty TNHH Thực phẩm Phố Hiến",
            "KCN Phố Nối A, Văn Lâm, Hưng Yên",
        ),
    },
    Product {
        company: "605678",
        item: "011",
        slug: "me-xung-hue",
        name: ("Mè xửng Huế", "Huế sesame candy"),
        brand: "Thiên Hương Huế",
        description: (
            "Kẹo mè xửng dẻo truyền thống Huế với mè rang và đậu phộng.",
            "Traditional chewy Huế candy with toasted sesame and peanuts.",
        ),
        origin: "TP Huế, Việt Nam",
        net_content: "200 g",
        standards: &["OCOP 4 sao"],
        producer: (
            "Cơ sở Mè xửng Thiên Hương",
            "Đường Chi Lăng, phường Gia Hội, TP Huế",
        ),
    },
    Product {
        company: "606789",
        item: "050",
        slug: "gao-nep-cai-hoa-vang",
        name: (
            "Gạo nếp cái hoa vàng Thủy Nguyên",
            "Thủy Nguyên yellow-flower glutinous rice",
        ),
        brand: "Nếp Thủy Nguyên",
        description: (
            "Nếp cái hoa vàng hạt tròn, dẻo thơm, vụ mùa 2026.",
            "Round-grain yellow-flower glutinous rice, fragrant and sticky, 2026 main crop.",
        ),
        origin: "Thủy Nguyên, Hải Phòng, Việt Nam",
        net_content: "2 kg",
        standards: &["OCOP 3 sao", "VietGAP"],
        producer: (
            "HTX Dịch vụ Nông nghiệp Kiền Bái",
            "Xã Kiền Bái, Thủy Nguyên, Hải Phòng",
        ),
    },
];

/// The lot of the demo data that is recalled, with why.
const RECALL: (&str, &str, &str, &str, &str) = (
    "NC2611-07",
    "2026-11-20",
    "Chi cục An toàn vệ sinh thực phẩm Thanh Hóa",
    "Mẫu lưu của lô phát hiện vi khuẩn Salmonella vượt giới hạn. Không sử dụng; trả lại nơi mua để được hoàn tiền.",
    "Retained samples of this lot exceeded the Salmonella limit. Do not eat; return it where you bought it for a refund.",
);

/// Fills an empty database; does nothing when the products are already there. The EPCIS
/// documents are checked against `schema` when the portal has one, as every capture is.
pub fn seed(db: &mut Conn, schema: Option<&Schema>, now: i64) -> Result<(), PortalError> {
    let database = |source| PortalError::Query {
        what: "seeding the demo data",
        source,
    };
    let count: i64 = db
        .query_row("SELECT COUNT(*) FROM products", &[], |r| r.get(0))
        .map_err(database)?;
    if count > 0 {
        return Ok(());
    }
    let mut tx = db.transaction().map_err(database)?;
    register_products(&mut tx).map_err(database)?;
    let at = tem_core::time::unix_to_rfc3339(now);
    for (company, document) in DOCUMENTS {
        let name = PRODUCTS
            .iter()
            .find(|p| p.company == *company)
            .map_or(DISTRIBUTOR, |p| p.producer.0);
        let prefix = format!("893{company}");
        // The demo's enterprises capture once, here; their tokens are never shown.
        capture::enterprise::add(
            &mut tx,
            &format!("demo-{prefix}"),
            name,
            std::slice::from_ref(&prefix),
            &at,
        )?;
        let enterprise = capture::enterprise::by_id(&mut tx, &format!("demo-{prefix}"))
            .map_err(database)?
            .ok_or_else(|| PortalError::Usage {
                reason: format!("the demo enterprise {prefix} was not registered"),
            })?;
        capture::load(&mut tx, &enterprise, document, schema, now).map_err(|reason| {
            PortalError::Usage {
                reason: format!(
                    "the demo data of {prefix} (demo/{prefix}.jsonld) was refused: {reason}"
                ),
            }
        })?;
    }
    let (lot, date, authority, vi, en) = RECALL;
    tx.execute(
        "INSERT INTO recalls (gtin, lot, date, authority, reason_vi, reason_en)
         SELECT gtin, lot, ?2, ?3, ?4, ?5 FROM lots WHERE lot = ?1",
        &[&lot, &date, &authority, &vi, &en],
    )
    .map_err(database)?;
    tx.commit().map_err(database)
}

/// The products and their producers, as an operator registers them before any capture.
fn register_products(tx: &mut dyn Sql) -> Result<(), DbError> {
    for product in PRODUCTS {
        let producer_gln = gln(product.company, "000");
        tx.execute(
            "INSERT INTO parties (gln, name, address) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            &[&producer_gln, &product.producer.0, &product.producer.1],
        )?;
        tx.execute(
            "INSERT INTO products (gtin, name_vi, name_en, brand, description_vi, description_en, origin, net_content,
                                   standards, image, producer_gln)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            &[
                &gtin(product.company, product.item),
                &product.name.0,
                &product.name.1,
                &product.brand,
                &product.description.0,
                &product.description.1,
                &product.origin,
                &product.net_content,
                &product.standards.join("\n"),
                &format!("/media/{}.svg", product.slug),
                &producer_gln,
            ],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeded() -> (tempfile::TempDir, Conn) {
        let dir = tempfile::tempdir().unwrap();
        let mut db = crate::db::open_in(&dir);
        seed(&mut db, None, 0).unwrap();
        (dir, db)
    }

    fn column(db: &mut dyn Sql, sql: &str) -> Vec<String> {
        db.query_map(sql, &[], |r| r.get(0)).unwrap()
    }

    #[test]
    fn every_seeded_gtin_and_gln_has_a_valid_check_digit() {
        let (_dir, mut db) = seeded();
        let gtins = column(&mut db, "SELECT gtin FROM products");
        assert!(gtins.len() >= 8);
        for gtin in gtins {
            assert!(gtin.starts_with("0893"), "{gtin}");
            tem_core::gs1::validate("01", &gtin).unwrap();
        }
        let glns = column(
            &mut db,
            "SELECT gln FROM parties UNION SELECT gln FROM locations",
        );
        assert!(glns.len() >= 20, "{}", glns.len());
        for gln in glns {
            assert!(gln.starts_with("893"), "{gln}");
            tem_core::gs1::validate("414", &gln).unwrap();
        }
    }

    #[test]
    fn every_lot_and_unit_comes_from_the_captured_documents_with_its_history() {
        let (_dir, mut db) = seeded();
        let lots = column(&mut db, "SELECT gtin || '.' || lot FROM lots");
        assert_eq!(lots.len(), 12, "{lots:?}");
        assert_eq!(column(&mut db, "SELECT serial FROM units").len(), 23);
        // Every lot's history runs from its start to the shelf, written by its producer and
        // the distributor, each at its own places.
        let short = column(
            &mut db,
            "SELECT l.lot FROM lots l LEFT JOIN event_lots el ON el.gtin = l.gtin AND el.lot = l.lot
             GROUP BY l.gtin, l.lot HAVING COUNT(el.event_id) < 6",
        );
        assert!(short.is_empty(), "lots with a short history: {short:?}");
        let strangers = column(
            &mut db,
            "SELECT e.id FROM events e JOIN capture_jobs j ON j.id = e.capture_id
             JOIN enterprises en ON en.id = j.enterprise_id
             WHERE substr(e.location_gln, 1, 9) <> en.gcp",
        );
        assert!(strangers.is_empty(), "{strangers:?}");
        let described = column(
            &mut db,
            "SELECT summary_vi FROM events WHERE summary_vi LIKE 'Quay mật%'",
        );
        assert_eq!(described.len(), 2, "the producers' own words are kept");
    }

    #[test]
    fn lots_and_serials_are_safe_in_record_ids_and_file_names() {
        // Record ids join the parts with '.', and name the stamp PNGs.
        let (_dir, mut db) = seeded();
        let safe = |text: &str| text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        for name in column(
            &mut db,
            "SELECT lot FROM lots UNION ALL SELECT serial FROM units",
        ) {
            assert!(safe(&name), "{name}");
        }
    }

    /// The day the demo is shown; the data is dated around it.
    const DEMO_DAY: &str = "2026-11-25";

    #[test]
    fn on_the_demo_day_only_the_recalled_and_the_expired_case_lots_are_expired() {
        let (_dir, mut db) = seeded();
        let expired = column(
            &mut db,
            &format!("SELECT lot FROM lots WHERE expiry_date <= '{DEMO_DAY}' ORDER BY lot"),
        );
        assert_eq!(expired, ["MX2504", RECALL.0]);
        let later = column(
            &mut db,
            &format!("SELECT id FROM events WHERE substr(time, 1, 10) >= '{DEMO_DAY}'"),
        );
        assert!(later.is_empty(), "events after the demo day: {later:?}");
    }

    #[test]
    fn every_seeded_sscc_has_a_valid_check_digit() {
        let (_dir, mut db) = seeded();
        let ssccs = column(
            &mut db,
            "SELECT DISTINCT substr(item, 5) FROM event_items WHERE item LIKE '(00)%'",
        );
        assert_eq!(ssccs.len(), 12);
        for sscc in ssccs {
            tem_core::gs1::validate("00", &sscc).unwrap();
        }
    }

    #[test]
    fn the_demo_documents_meet_the_official_schema() {
        let Some(path) = tem_corpus::require("epcis/EPCIS-JSON-Schema.json") else {
            return;
        };
        let schema = Schema::load(&path).expect("the EPCIS schema of the shared corpus");
        let dir = tempfile::tempdir().unwrap();
        let mut db = crate::db::open_in(&dir);
        seed(&mut db, Some(&schema), 0).unwrap();
        for (company, document) in DOCUMENTS {
            let document: serde_json::Value = serde_json::from_str(document).unwrap();
            assert_eq!(
                schema.problems(&document, 5),
                [],
                "demo/893{company}.jsonld"
            );
        }
    }
}
