//! Demo data: OCOP and specialty products of the kind the Vietnamese traceability programmes put
//! first (Hưng Yên, Hải Phòng, Thanh Hóa, Huế), each with its producer, places, lots, serialised
//! units and a production → processing → distribution history. Identifiers are real GS1
//! structures with valid check digits.

use rusqlite::{Connection, params};
use tem_core::gs1::gtin_check_digit;

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

/// The SSCC of the pallet the `number`th lot ships on (extension digit 0).
fn sscc(company: &str, number: u32) -> String {
    with_check_digit(&format!("0893{company}{number:07}"))
}

/// `date` plus `days` (may be negative), both `YYYY-MM-DD`; the seed's dates are all real.
fn add_days(date: &str, days: i32) -> String {
    tem_core::time::add_days(date, i64::from(days)).unwrap_or_else(|| date.to_string())
}

struct Place {
    key: &'static str,
    name: &'static str,
    address: &'static str,
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
    farm: Place,
    facility: Place,
    /// (lot, production date, shelf life in days, the serials of its individually stamped units)
    lots: &'static [(&'static str, &'static str, i32, &'static [&'static str])],
    /// Days before packing that the raw material was harvested, and what that was.
    harvest: (i32, &'static str, &'static str),
    /// Days before packing of the processing step, if any, and what it was.
    process: Option<(i32, &'static str, &'static str)>,
    inspection: Option<(&'static str, &'static str)>,
}

const WAREHOUSE: Place = Place {
    key: "warehouse",
    name: "Kho Trung tâm phân phối Nông sản Ba Miền",
    address: "Lô C4, KCN Như Quỳnh A, Văn Lâm, Hưng Yên",
};
const STORE: Place = Place {
    key: "store",
    name: "Cửa hàng Đặc sản Ba Miền – Hàng Bạc",
    address: "36 Hàng Bạc, Hoàn Kiếm, Hà Nội",
};
const DISTRIBUTOR: (&str, &str) = (
    "Công ty CP Phân phối Nông sản Ba Miền",
    "Lô C4, KCN Như Quỳnh A, Văn Lâm, Hưng Yên",
);
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
        farm: Place {
            key: "farm",
            name: "Trại ong hoa nhãn Đông Kết",
            address: "Xã Đông Kết, Khoái Châu, Hưng Yên",
        },
        facility: Place {
            key: "facility",
            name: "Xưởng lọc và đóng chai mật ong Phố Hiến",
            address: "Xã Đông Kết, Khoái Châu, Hưng Yên",
        },
        lots: &[
            (
                "MO2604",
                "2026-05-06",
                730,
                &[
                    "A0001", "A0002", "A0003", "A0004", "A0005", "A0006", "A0007",
                ],
            ),
            ("MO2609", "2026-09-15", 730, &[]),
        ],
        harvest: (
            12,
            "Quay mật từ 120 thùng ong đặt tại vườn nhãn",
            "Honey extracted from 120 hives set in the longan orchards",
        ),
        process: Some((
            5,
            "Lọc, hạ thủy phần xuống dưới 20% và để lắng",
            "Filtered, moisture brought below 20 % and left to settle",
        )),
        inspection: Some((
            "Trung tâm Kỹ thuật TCĐLCL 1 kiểm nghiệm: đạt, không dư lượng kháng sinh",
            "Tested by Quality Assurance and Testing Centre 1: passed, no antibiotic residues",
        )),
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
        farm: Place {
            key: "farm",
            name: "Vườn nhãn lồng Hồng Nam (mã vùng trồng HY-0112)",
            address: "Xã Hồng Nam, TP Hưng Yên",
        },
        facility: Place {
            key: "facility",
            name: "Lò sấy long nhãn Hồng Nam",
            address: "Xã Hồng Nam, TP Hưng Yên",
        },
        lots: &[("LN2608", "2026-08-20", 365, &["LN0001", "LN0002"])],
        harvest: (
            6,
            "Thu hoạch nhãn lồng chín tại vườn VietGAP",
            "Ripe longan harvested in the VietGAP orchard",
        ),
        process: Some((
            4,
            "Bóc cùi và sấy than hoa 36 giờ",
            "Peeled and charcoal-dried for 36 hours",
        )),
        inspection: None,
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
        farm: Place {
            key: "farm",
            name: "Cảng cá Cát Hải – bến nhận cá cơm",
            address: "Thị trấn Cát Hải, Hải Phòng",
        },
        facility: Place {
            key: "facility",
            name: "Nhà thùng ủ chượp Cát Hải",
            address: "Thị trấn Cát Hải, Hải Phòng",
        },
        lots: &[
            ("CH2610-35", "2026-10-02", 1095, &["CH0001", "CH0002"]),
            // Shipped and never received: the incomplete-history case of the demo.
            ("CH2611-36", "2026-11-02", 1095, &["CH3601"]),
        ],
        harvest: (
            380,
            "Nhận cá cơm tươi từ tàu đánh bắt vùng biển Bạch Long Vĩ",
            "Fresh anchovies landed from boats fishing off Bạch Long Vĩ",
        ),
        process: Some((
            375,
            "Trộn cá với muối biển, ủ chượp 12 tháng trong thùng gỗ",
            "Fish mixed with sea salt and fermented 12 months in wooden vats",
        )),
        inspection: Some((
            "Chi cục Quản lý chất lượng Nông lâm thủy sản Hải Phòng lấy mẫu: đạt",
            "Hải Phòng agro-fishery quality office sampled the lot: passed",
        )),
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
        farm: Place {
            key: "farm",
            name: "Vùng trồng mía tím Minh Sơn (mã vùng trồng TH-NL-07)",
            address: "Xã Minh Sơn, Ngọc Lặc, Thanh Hóa",
        },
        facility: Place {
            key: "facility",
            name: "Điểm sơ chế, đóng bó HTX Minh Sơn",
            address: "Xã Minh Sơn, Ngọc Lặc, Thanh Hóa",
        },
        lots: &[("MT2611A", "2026-11-12", 20, &["MT0001", "MT0002"])],
        harvest: (
            1,
            "Chặt mía tím đủ 11 tháng tuổi",
            "Purple cane cut at 11 months",
        ),
        process: None,
        inspection: None,
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
        farm: Place {
            key: "farm",
            name: "Trang trại lợn Phúc Thịnh",
            address: "Xã Phúc Thịnh, Ngọc Lặc, Thanh Hóa",
        },
        facility: Place {
            key: "facility",
            name: "Xưởng nem chua Hương Quê",
            address: "Thị trấn Ngọc Lặc, Thanh Hóa",
        },
        lots: &[
            ("NC2611-07", "2026-11-07", 10, &["NC0001", "NC0002"]),
            ("NC2611-20", "2026-11-20", 10, &[]),
        ],
        harvest: (
            2,
            "Giết mổ lợn tại cơ sở có kiểm dịch thú y",
            "Pigs slaughtered at a veterinary-inspected abattoir",
        ),
        process: Some((
            1,
            "Xay thịt, trộn bì và gia vị, gói lá chuối",
            "Meat minced, mixed with skin and spices, wrapped in banana leaves",
        )),
        inspection: None,
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
        farm: Place {
            key: "farm",
            name: "Vùng nhãn liên kết Tiên Lữ",
            address: "Huyện Tiên Lữ, Hưng Yên",
        },
        facility: Place {
            key: "facility",
            name: "Nhà máy nước giải khát Phố Hiến",
            address: "KCN Phố Nối A, Văn Lâm, Hưng Yên",
        },
        lots: &[("NN260812", "2026-08-12", 365, &["NN0001", "NN0002"])],
        harvest: (
            3,
            "Thu mua nhãn tươi từ vùng liên kết",
            "Fresh longan bought from partner growers",
        ),
        process: Some((
            1,
            "Ép, phối trộn, thanh trùng và chiết rót",
            "Pressed, blended, pasteurised and bottled",
        )),
        inspection: Some((
            "Tự kiểm tra vi sinh lô hàng: đạt",
            "Own microbiological test of the lot: passed",
        )),
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
        farm: Place {
            key: "farm",
            name: "Vùng mè Quảng Điền",
            address: "Huyện Quảng Điền, TP Huế",
        },
        facility: Place {
            key: "facility",
            name: "Xưởng kẹo Thiên Hương",
            address: "Phường Gia Hội, TP Huế",
        },
        lots: &[
            ("MX2610", "2026-10-20", 180, &["MX0001", "MX0002"]),
            // Past its shelf life: the expired-product case of the demo.
            ("MX2504", "2025-04-10", 180, &["MX0401"]),
        ],
        harvest: (
            20,
            "Thu mua mè, đậu phộng vụ hè thu",
            "Sesame and peanuts bought from the summer crop",
        ),
        process: Some((
            1,
            "Nấu mạch nha, trộn mè, cán và cắt kẹo",
            "Malt syrup cooked, sesame mixed in, rolled and cut",
        )),
        inspection: None,
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
        farm: Place {
            key: "farm",
            name: "Cánh đồng nếp Kiền Bái",
            address: "Xã Kiền Bái, Thủy Nguyên, Hải Phòng",
        },
        facility: Place {
            key: "facility",
            name: "Xưởng xay xát HTX Kiền Bái",
            address: "Xã Kiền Bái, Thủy Nguyên, Hải Phòng",
        },
        lots: &[("NEP26M", "2026-10-28", 365, &["NG0001", "NG0002"])],
        harvest: (
            14,
            "Gặt lúa nếp cái hoa vàng vụ mùa",
            "Yellow-flower glutinous rice harvested, main crop",
        ),
        process: Some((6, "Phơi, sấy và xay xát", "Dried and milled")),
        inspection: None,
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

/// Fills an empty database; does nothing when the products are already there.
pub fn seed(db: &mut Connection) -> rusqlite::Result<()> {
    let count: i64 = db.query_row("SELECT COUNT(*) FROM products", [], |r| r.get(0))?;
    if count > 0 {
        return Ok(());
    }
    let tx = db.transaction()?;
    let distributor_gln = gln(DISTRIBUTOR_COMPANY, "001");
    tx.execute(
        "INSERT INTO parties (gln, name, address) VALUES (?1, ?2, ?3)",
        params![distributor_gln, DISTRIBUTOR.0, DISTRIBUTOR.1],
    )?;
    let store_party = gln(DISTRIBUTOR_COMPANY, "036");
    tx.execute(
        "INSERT INTO parties (gln, name, address) VALUES (?1, ?2, ?3)",
        params![store_party, "Hộ kinh doanh Đặc sản Ba Miền", STORE.address],
    )?;
    let mut places = std::collections::HashMap::new();
    for (place, code) in [(&WAREHOUSE, "010"), (&STORE, "037")] {
        let location = gln(DISTRIBUTOR_COMPANY, code);
        tx.execute(
            "INSERT INTO locations (gln, name, address) VALUES (?1, ?2, ?3)",
            params![location, place.name, place.address],
        )?;
        places.insert(place.key, location);
    }
    let mut event_number = 0u32;
    let mut lot_number = 0u32;
    for product in PRODUCTS {
        let gtin = gtin(product.company, product.item);
        let producer_gln = gln(product.company, "000");
        tx.execute(
            "INSERT OR IGNORE INTO parties (gln, name, address) VALUES (?1, ?2, ?3)",
            params![producer_gln, product.producer.0, product.producer.1],
        )?;
        let farm_gln = gln(product.company, &format!("1{}", &product.item[1..]));
        let facility_gln = gln(product.company, &format!("2{}", &product.item[1..]));
        for (place, location) in [
            (&product.farm, &farm_gln),
            (&product.facility, &facility_gln),
        ] {
            tx.execute(
                "INSERT INTO locations (gln, name, address) VALUES (?1, ?2, ?3)",
                params![location, place.name, place.address],
            )?;
        }
        tx.execute(
            "INSERT INTO products (gtin, name_vi, name_en, brand, description_vi, description_en, origin, net_content,
                                   standards, image, producer_gln)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                gtin, product.name.0, product.name.1, product.brand, product.description.0, product.description.1,
                product.origin, product.net_content, product.standards.join("\n"),
                format!("/media/{}.svg", product.slug), producer_gln
            ],
        )?;
        for (lot, produced, shelf_life, units) in product.lots {
            tx.execute(
                "INSERT INTO lots (gtin, lot, production_date, expiry_date) VALUES (?1, ?2, ?3, ?4)",
                params![gtin, lot, produced, add_days(produced, *shelf_life)],
            )?;
            for serial in *units {
                tx.execute(
                    "INSERT INTO units (gtin, serial, lot) VALUES (?1, ?2, ?3)",
                    params![gtin, serial, lot],
                )?;
            }
            let harvested = add_days(produced, -product.harvest.0);
            let mut steps: Vec<(String, &str, &str, &str, &str, String, String)> = vec![(
                format!("{harvested}T06:30:00+07:00"),
                "ObjectEvent",
                "commissioning",
                &farm_gln,
                &producer_gln,
                product.harvest.1.to_string(),
                product.harvest.2.to_string(),
            )];
            if let Some((days, vi, en)) = product.process {
                steps.push((
                    format!("{}T08:00:00+07:00", add_days(produced, -days)),
                    "TransformationEvent",
                    "transforming",
                    &facility_gln,
                    &producer_gln,
                    vi.to_string(),
                    en.to_string(),
                ));
            }
            if let Some((vi, en)) = product.inspection {
                steps.push((
                    format!("{}T14:00:00+07:00", add_days(produced, -1)),
                    "ObjectEvent",
                    "inspecting",
                    &facility_gln,
                    &producer_gln,
                    vi.to_string(),
                    en.to_string(),
                ));
            }
            let warehouse = &places["warehouse"];
            let store = &places["store"];
            steps.extend([
                (
                    format!("{produced}T10:00:00+07:00"),
                    "AggregationEvent",
                    "packing",
                    facility_gln.as_str(),
                    producer_gln.as_str(),
                    format!(
                        "Đóng gói {}, dán tem truy xuất lô {lot}",
                        product.net_content
                    ),
                    format!(
                        "Packed as {}, traceability stamps applied to lot {lot}",
                        product.net_content
                    ),
                ),
                (
                    format!("{}T15:30:00+07:00", add_days(produced, 1)),
                    "ObjectEvent",
                    "storing",
                    warehouse,
                    &distributor_gln,
                    "Nhập kho trung tâm phân phối, bảo quản nơi khô mát".into(),
                    "Received into the distribution centre, stored cool and dry".into(),
                ),
                (
                    format!("{}T05:45:00+07:00", add_days(produced, 3)),
                    "ObjectEvent",
                    "shipping",
                    warehouse,
                    &distributor_gln,
                    "Xuất kho, vận chuyển bằng xe tải tới cửa hàng tại Hà Nội".into(),
                    "Shipped by truck to the shop in Hà Nội".into(),
                ),
                (
                    format!("{}T09:10:00+07:00", add_days(produced, 3)),
                    "ObjectEvent",
                    "receiving",
                    store,
                    &store_party,
                    "Cửa hàng nhận hàng, đối chiếu số lượng và tem".into(),
                    "The shop received the goods and checked quantities and stamps".into(),
                ),
                (
                    format!("{}T08:00:00+07:00", add_days(produced, 4)),
                    "ObjectEvent",
                    "retail_selling",
                    store,
                    &store_party,
                    "Bày bán tại cửa hàng".into(),
                    "On sale in the shop".into(),
                ),
            ]);
            lot_number += 1;
            let sscc = sscc(product.company, lot_number);
            for (time, event_type, biz_step, location, actor, vi, en) in steps {
                event_number += 1;
                let id = format!("ev-{event_number:04}");
                tx.execute(
                    "INSERT INTO events (id, gtin, lot, time, event_type, biz_step, disposition, location_gln, actor_gln,
                                         summary_vi, summary_en)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                    params![
                        id, gtin, lot, time, event_type, biz_step,
                        disposition(biz_step), location, actor, vi, en
                    ],
                )?;
                let [inputs, outputs] = items(biz_step, &gtin, lot, units, &sscc);
                for (role, items) in [("input", inputs), ("output", outputs)] {
                    for (position, item) in items.iter().enumerate() {
                        tx.execute(
                            "INSERT INTO event_items (event_id, role, position, item)
                             VALUES (?1, ?2, ?3, ?4)",
                            params![id, role, position, item],
                        )?;
                    }
                }
            }
        }
    }
    let (lot, date, authority, vi, en) = RECALL;
    tx.execute(
        "INSERT INTO recalls (gtin, lot, date, authority, reason_vi, reason_en)
         SELECT gtin, lot, ?2, ?3, ?4, ?5 FROM lots WHERE lot = ?1",
        params![lot, date, authority, vi, en],
    )?;
    tx.commit()
}

/// What went into and came out of a step, written as tem-core writes EPCIS objects
/// (`(01)…(10)…` for a lot, `(01)…(21)…` for a unit, `(00)…` for the shipping unit). The lot is
/// commissioned at harvest, its units packed onto one pallet (SSCC) that is shipped and
/// received, then unpacked for sale.
fn items(biz_step: &str, gtin: &str, lot: &str, units: &[&str], sscc: &str) -> [Vec<String>; 2] {
    let lot = format!("(01){gtin}(10){lot}");
    let pallet = format!("(00){sscc}");
    let packed: Vec<String> = if units.is_empty() {
        vec![lot.clone()]
    } else {
        units
            .iter()
            .map(|serial| format!("(01){gtin}(21){serial}"))
            .collect()
    };
    match biz_step {
        "commissioning" | "inspecting" => [vec![], vec![lot]],
        "transforming" => [vec![lot.clone()], vec![lot]],
        "packing" => [packed, vec![pallet]],
        "storing" | "shipping" | "receiving" => [vec![], vec![pallet]],
        "retail_selling" => [vec![], packed],
        _ => [vec![], vec![]],
    }
}

fn disposition(biz_step: &str) -> &'static str {
    match biz_step {
        "shipping" => "in_transit",
        "retail_selling" => "retail_sold",
        "storing" | "receiving" => "sellable_not_accessible",
        _ => "active",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seeded_gtin_and_gln_has_a_valid_check_digit() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = crate::db::open(&dir.path().join("portal.sqlite")).unwrap();
        seed(&mut db).unwrap();
        let column = |sql: &str| -> Vec<String> {
            let mut statement = db.prepare(sql).unwrap();
            let rows = statement.query_map([], |r| r.get(0)).unwrap();
            rows.collect::<rusqlite::Result<_>>().unwrap()
        };
        let gtins = column("SELECT gtin FROM products");
        assert!(gtins.len() >= 8);
        for gtin in gtins {
            assert!(gtin.starts_with("0893"), "{gtin}");
            tem_core::gs1::validate("01", &gtin).unwrap();
        }
        let glns = column("SELECT gln FROM parties UNION SELECT gln FROM locations");
        assert!(glns.len() >= 20, "{}", glns.len());
        for gln in glns {
            assert!(gln.starts_with("893"), "{gln}");
            tem_core::gs1::validate("414", &gln).unwrap();
        }
    }

    #[test]
    fn lots_and_serials_are_safe_in_record_ids_and_file_names() {
        // Record ids join the parts with '.', and name the stamp PNGs.
        let safe = |text: &str| text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        for product in PRODUCTS {
            for (lot, .., serials) in product.lots {
                assert!(safe(lot));
                assert!(serials.iter().all(|serial| safe(serial)));
            }
        }
    }

    /// The day the demo is shown; the data is dated around it.
    const DEMO_DAY: &str = "2026-11-25";

    #[test]
    fn on_the_demo_day_only_the_recalled_and_the_expired_case_lots_are_expired() {
        for product in PRODUCTS {
            for (lot, produced, shelf_life, _) in product.lots {
                let expired = add_days(produced, *shelf_life).as_str() <= DEMO_DAY;
                assert_eq!(expired, [RECALL.0, "MX2504"].contains(lot), "{lot}");
                // The last event, on the shelf, is four days after packing.
                assert!(add_days(produced, 4).as_str() < DEMO_DAY, "{lot}");
            }
        }
    }

    #[test]
    fn every_seeded_sscc_has_a_valid_check_digit() {
        let lots = PRODUCTS
            .iter()
            .flat_map(|p| p.lots.iter().map(|_| p.company));
        for (number, company) in (1..).zip(lots) {
            let sscc = sscc(company, number);
            assert_eq!(sscc.len(), 18);
            tem_core::gs1::validate("00", &sscc).unwrap();
        }
    }

    #[test]
    fn dates_roll_over_months_and_years_both_ways() {
        assert_eq!(add_days("2026-12-30", 3), "2027-01-02");
        assert_eq!(add_days("2026-03-01", -1), "2026-02-28");
        assert_eq!(add_days("2024-03-01", -1), "2024-02-29");
    }
}
