//! A tiny hand-made workspace whose picks are known exactly, and helpers the
//! test files share.

#![allow(dead_code)]

use rebound_core::Workspace;
use tempfile::TempDir;

pub const DAY: i64 = 86_400_000_000;
pub const AS_OF: i64 = 1_790_000_000_000_000;

pub struct Fixture {
    pub _dir: TempDir,
    pub ws: Workspace,
}

/// (id, title, price, availability, image_link, link, brand, category)
pub type Row<'a> = (
    i64,
    &'a str,
    Option<i64>,
    Option<&'a str>,
    Option<&'a str>,
    Option<&'a str>,
    &'a str,
    &'a str,
);

pub const PRODUCTS: &[Row] = &[
    (
        1,
        "Kestrel K7 Full-Frame Mirrorless Camera",
        Some(249_900),
        Some("in_stock"),
        Some("https://shop.example/images/k7.jpg"),
        Some("https://shop.example/k7"),
        "Kestrel",
        "Cameras",
    ),
    (
        2,
        "Kestrel 50mm f/1.8 Prime Lens",
        Some(24_900),
        Some("in_stock"),
        Some("https://shop.example/images/50mm.jpg"),
        Some("https://shop.example/50mm"),
        "Kestrel",
        "Lenses",
    ),
    (
        3,
        "Nomad 30L Camera Backpack",
        Some(21_900),
        Some("out_of_stock"),
        Some("https://shop.example/images/bag.jpg"),
        Some("https://shop.example/bag"),
        "Nomad",
        "Bags & Cases",
    ),
    (
        4,
        "Atlas Carbon Travel Tripod",
        Some(27_900),
        Some("in_stock"),
        Some("https://shop.example/images/tripod.jpg"),
        Some("https://shop.example/tripod"),
        "Atlas",
        "Tripods & Gimbals",
    ),
    (
        5,
        "Vault 128GB V90 SD Card",
        Some(8_900),
        Some("in_stock"),
        Some("https://shop.example/images/sd.jpg"),
        Some("https://shop.example/sd"),
        "Vault",
        "Memory & Storage",
    ),
    (
        6,
        "Echo Shotgun Microphone",
        Some(17_900),
        Some("in_stock"),
        Some("https://shop.example/images/mic.jpg"),
        Some("https://shop.example/mic"),
        "Echo",
        "Audio",
    ),
];

/// (person, day offset before AS_OF, event, product, order)
const EVENTS: &[(i64, i64, &str, i64, Option<&str>)] = &[
    // Maya, the camera shopper: viewed the camera and the (now out of stock)
    // backpack, carted a tripod, bought an SD card.
    (1, 9, "view_item", 1, None),
    (1, 8, "view_item", 1, None),
    (1, 7, "view_item", 3, None),
    (1, 6, "view_item", 5, None),
    (1, 5, "purchase", 5, Some("o1")),
    (1, 2, "add_to_cart", 4, None),
    // Others who looked at the camera bought the lens (co-bought) and
    // looked at the microphone (co-viewed).
    (2, 20, "view_item", 1, None),
    (2, 19, "purchase", 2, Some("o2")),
    (3, 20, "view_item", 1, None),
    (3, 19, "purchase", 2, Some("o3")),
    (3, 18, "view_item", 6, None),
    (4, 20, "view_item", 1, None),
    (4, 19, "view_item", 6, None),
    (5, 20, "view_item", 1, None),
    (5, 19, "view_item", 6, None),
    // After AS_OF: must not count.
    (1, -1, "purchase", 4, Some("o9")),
];

pub async fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::create(&dir.path().join("t.rebound"))
        .await
        .unwrap();
    for p in PRODUCTS {
        insert_product(&ws, *p).await;
    }
    for (id, name, locale) in [
        (1, Some("Maya"), "de-DE"),
        (2, Some("Sam"), "en-US"),
        (3, None, "en-GB"),
        (4, Some("Lea"), "fr-FR"),
        (5, Some("Tom"), "en-US"),
        (6, None, "en-US"),
    ] {
        sqlx::query(
            "INSERT INTO people (id, first_name, locale, country) VALUES (?1, ?2, ?3, 'DE')",
        )
        .bind(id)
        .bind(name)
        .bind(locale)
        .execute(ws.pool())
        .await
        .unwrap();
    }
    for (person, days, name, product, order) in EVENTS {
        sqlx::query(
            "INSERT INTO events (person_id, ts, name, product_id, order_id) VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .bind(person)
        .bind(AS_OF - days * DAY)
        .bind(name)
        .bind(product)
        .bind(order)
        .execute(ws.pool())
        .await
        .unwrap();
    }
    Fixture { _dir: dir, ws }
}

pub async fn insert_product(ws: &Workspace, p: Row<'_>) {
    let (id, title, price, availability, image, link, brand, category) = p;
    sqlx::query(
        "INSERT INTO products (id, external_id, title, price_minor, currency, availability, image_link, link, brand, category)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )
    .bind(id)
    .bind(format!("SKU-{id}"))
    .bind(title)
    .bind(price)
    .bind(price.map(|_| "USD"))
    .bind(availability)
    .bind(image)
    .bind(link)
    .bind(brand)
    .bind(category)
    .execute(ws.pool())
    .await
    .unwrap();
}

/// Every attribute and element of an SVG document must be harmless: no
/// script or foreign content, no event handler, and every href a data: URL.
pub fn assert_inert(svg: &str) {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    for node in doc.descendants().filter(|n| n.is_element()) {
        let tag = node.tag_name().name().to_ascii_lowercase();
        assert!(
            ![
                "script",
                "foreignobject",
                "iframe",
                "a",
                "use",
                "animate",
                "set"
            ]
            .contains(&tag.as_str()),
            "element <{tag}> in the creative"
        );
        for attr in node.attributes() {
            let name = attr.name().to_ascii_lowercase();
            assert!(!name.starts_with("on"), "event attribute {name}");
            if name == "href" {
                assert!(
                    attr.value().starts_with("data:image/"),
                    "href {}",
                    &attr.value()[..attr.value().len().min(40)]
                );
            }
            let value = attr.value().to_ascii_lowercase();
            assert!(!value.contains("javascript:"), "javascript: in {name}");
        }
    }
}
