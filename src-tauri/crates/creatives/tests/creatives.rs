//! Picks, every format, the linter, escaping, PNG determinism and the
//! template store, on a hand-made workspace whose answers are known.

mod common;

use common::*;
use rebound_core::ErrorCode;
use rebound_creatives::*;

fn template() -> TemplateDefinition {
    demo_templates().remove(0)
}

async fn picks(f: &Fixture, person: i64) -> Vec<Pick> {
    let catalog = Catalog::load(&f.ws, AS_OF).await.unwrap();
    picks_for_person(&f.ws, &catalog, person, AS_OF, 10, 1)
        .await
        .unwrap()
}

#[tokio::test]
async fn picks_follow_behaviour_leave_out_bought_and_out_of_stock_and_say_why() {
    let f = fixture().await;
    let got = picks(&f, 1).await;
    let ids: Vec<(i64, PickKind)> = got.iter().map(|p| (p.product.id, p.kind)).collect();
    assert_eq!(
        ids,
        vec![
            (4, PickKind::Carted),
            (1, PickKind::Viewed),
            (2, PickKind::CoBought),
            (6, PickKind::CoViewed),
        ],
        "{got:#?}"
    );
    // Bought (5) and out of stock (3) are never picked.
    assert!(got.iter().all(|p| p.product.id != 5 && p.product.id != 3));
    assert!(
        got[0].reason.starts_with("In their cart since"),
        "{}",
        got[0].reason
    );
    assert!(
        got[1].reason.starts_with("Viewed 2 times"),
        "{}",
        got[1].reason
    );
    assert_eq!(
        got[2].reason,
        "Bought by 2 shoppers who also looked at Kestrel K7 Full-Frame Mirrorless Camera"
    );
    assert_eq!(
        got[3].reason,
        "Viewed by 3 shoppers who also viewed Kestrel K7 Full-Frame Mirrorless Camera"
    );
    // Deterministic: the same twice, and the same from a fresh catalog.
    assert_eq!(got, picks(&f, 1).await);
}

#[tokio::test]
async fn a_purchase_after_as_of_does_not_count_yet_and_one_before_does() {
    let f = fixture().await;
    let catalog = Catalog::load(&f.ws, AS_OF + 2 * DAY).await.unwrap();
    let later = picks_for_person(&f.ws, &catalog, 1, AS_OF + 2 * DAY, 10, 1)
        .await
        .unwrap();
    assert!(
        later.iter().all(|p| p.product.id != 4),
        "the tripod was bought by then"
    );
}

#[tokio::test]
async fn people_without_behaviour_get_best_sellers_only_when_a_format_needs_a_product() {
    let f = fixture().await;
    let catalog = Catalog::load(&f.ws, AS_OF).await.unwrap();
    let none = picks_for_person(&f.ws, &catalog, 6, AS_OF, 10, 0)
        .await
        .unwrap();
    assert!(none.is_empty());
    let filled = picks_for_person(&f.ws, &catalog, 6, AS_OF, 10, 2)
        .await
        .unwrap();
    assert_eq!(filled.len(), 2);
    assert!(filled.iter().all(|p| p.kind == PickKind::BestSeller));
    // The lens was bought by two people, the SD card by one.
    assert_eq!(filled[0].product.id, 2);
    assert!(
        filled[0].reason.contains("bought by 2 shoppers"),
        "{}",
        filled[0].reason
    );
}

#[tokio::test]
async fn every_format_has_its_size_and_keeps_text_within_the_platform_limits() {
    let f = fixture().await;
    let mut t = template();
    t.headline =
        "{{product.title}} — the one you keep coming back to, {{person.first_name | there}}".into();
    t.description = "Still thinking it over? Free 2-day shipping, 30-day returns and a two-year warranty on every camera and lens we sell.".into();
    t.call_to_action = "Shop the camera now today".into();
    t.validate().unwrap();
    for spec in formats() {
        let p = preview(&f.ws, &t, spec.format, 1, AS_OF, None)
            .await
            .unwrap();
        let cards = p.ad.product_ids.len();
        let (w, h) = canvas_size(spec.format, cards);
        assert_eq!((p.ad.width, p.ad.height), (w, h), "{:?}", spec.format);
        if spec.format == AdFormat::MetaCarousel {
            assert_eq!(cards, 4, "one card per pick, up to 10");
            assert_eq!(w, 48 * 2 + 4 * 1080 + 3 * 32);
        } else {
            assert_eq!((w, h), (spec.width, spec.height));
            assert_eq!(cards, 1);
        }
        let doc = roxmltree::Document::parse(&p.ad.svg).unwrap();
        let root = doc.root_element();
        assert_eq!(root.attribute("width"), Some(w.to_string().as_str()));
        assert_eq!(root.attribute("height"), Some(h.to_string().as_str()));
        for text in &p.ad.texts {
            let limit = match text.field.as_str() {
                "headline" => spec.limits.headline,
                "description" => spec.limits.description,
                "call_to_action" => spec.limits.call_to_action,
                "business_name" => spec.limits.business_name,
                _ => u32::MAX,
            };
            assert!(
                text.shown.chars().count() <= limit as usize,
                "{:?} {}: {:?} over {limit}",
                spec.format,
                text.field,
                text.shown
            );
            if text.full.chars().count() > limit as usize {
                assert_eq!(text.over_limit, Some(limit));
                assert!(text.shown.ends_with('…'));
            }
        }
        // The long headline is over every platform's limit: the linter says so.
        assert!(
            p.findings
                .iter()
                .any(|f| f.code == "truncated" && f.field.as_deref() == Some("headline")),
            "{:?}: {:#?}",
            spec.format,
            p.findings
        );
        // The PNG has the canvas's size.
        let png = svg_to_png(&p.ad.svg).unwrap();
        let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
        assert_eq!(
            (pixmap.width(), pixmap.height()),
            (w, h),
            "{:?}",
            spec.format
        );
    }
}

#[tokio::test]
async fn prices_are_formatted_for_the_person_and_first_names_fall_back() {
    let f = fixture().await;
    let mut t = template();
    t.headline = "Hi {{person.first_name | there}}".into();
    t.description = "{{product.title}} for {{product.price}}".into();
    let maya = preview(&f.ws, &t, AdFormat::MetaSquare, 1, AS_OF, None)
        .await
        .unwrap();
    let price = maya.ad.texts.iter().find(|x| x.field == "price").unwrap();
    assert_eq!(price.full, "279,00\u{a0}US$", "Maya reads German prices");
    let headline = maya
        .ad
        .texts
        .iter()
        .find(|x| x.field == "headline")
        .unwrap();
    assert_eq!(headline.full, "Hi Maya");
    let nameless = preview(&f.ws, &t, AdFormat::MetaSquare, 3, AS_OF, None)
        .await
        .unwrap();
    let headline = nameless
        .ad
        .texts
        .iter()
        .find(|x| x.field == "headline")
        .unwrap();
    assert_eq!(headline.full, "Hi there");
    assert!(
        nameless.findings.iter().all(|f| f.code != "price_mismatch"),
        "{:#?}",
        nameless.findings
    );

    t.headline = "Hi {{person.first_name}}".into();
    let bare = preview(&f.ws, &t, AdFormat::MetaSquare, 3, AS_OF, None)
        .await
        .unwrap();
    assert!(
        bare.findings.iter().any(|f| f.code == "empty_token"),
        "{:#?}",
        bare.findings
    );
}

fn codes(findings: &[Finding]) -> Vec<&str> {
    findings.iter().map(|f| f.code.as_str()).collect()
}

#[tokio::test]
async fn the_linter_flags_missing_feed_fields_and_text_that_disagrees_with_the_feed() {
    let f = fixture().await;
    insert_product(
        &f.ws,
        (
            7,
            "Mystery Lens",
            None,
            Some("backorder"),
            None,
            None,
            "Sigmar",
            "Lenses",
        ),
    )
    .await;
    sqlx::query(
        "INSERT INTO events (person_id, ts, name, product_id) VALUES (6, ?1, 'add_to_cart', 7)",
    )
    .bind(AS_OF - DAY)
    .execute(f.ws.pool())
    .await
    .unwrap();
    let mut t = template();
    t.description = "In stock and ready to ship: only $99.00!".into();
    let p = preview(&f.ws, &t, AdFormat::MetaSquare, 6, AS_OF, None)
        .await
        .unwrap();
    let c = codes(&p.findings);
    for expected in [
        "missing_image",
        "missing_price",
        "missing_link",
        "availability_mismatch",
    ] {
        assert!(c.contains(&expected), "{expected} missing from {c:?}");
    }
    assert!(
        p.findings.iter().any(|f| f.message.contains("backorder")),
        "{:#?}",
        p.findings
    );

    // Maya's tripod has a price: a different price in the text is an error,
    // the feed price is not.
    let p = preview(&f.ws, &t, AdFormat::MetaSquare, 1, AS_OF, None)
        .await
        .unwrap();
    let mismatch = p
        .findings
        .iter()
        .find(|f| f.code == "price_mismatch")
        .expect("price mismatch");
    assert_eq!(mismatch.severity, Severity::Error);
    assert!(
        mismatch.message.contains("$99.00") && mismatch.message.contains("$279.00"),
        "{}",
        mismatch.message
    );
    t.description = "Yours for $279.00, in stock".into();
    let p = preview(&f.ws, &t, AdFormat::MetaSquare, 1, AS_OF, None)
        .await
        .unwrap();
    let c = codes(&p.findings);
    assert!(
        !c.contains(&"price_mismatch") && !c.contains(&"availability_mismatch"),
        "{c:?}"
    );
    // Images are never fetched: a feed URL without a local file is a placeholder.
    assert!(c.contains(&"image_not_local"), "{c:?}");
    t.description = "Sold out soon?".into();
    let p = preview(&f.ws, &t, AdFormat::MetaSquare, 1, AS_OF, None)
        .await
        .unwrap();
    assert!(codes(&p.findings).contains(&"availability_mismatch"));

    // A carousel of one card is flagged.
    sqlx::query("INSERT INTO products (id, external_id, title) VALUES (8, 'SKU-8', 'Lonely')")
        .execute(f.ws.pool())
        .await
        .unwrap();
    let p = preview(&f.ws, &template(), AdFormat::MetaCarousel, 6, AS_OF, None)
        .await
        .unwrap();
    assert_eq!(
        p.ad.product_ids.len(),
        2,
        "best sellers fill the second card"
    );
}

const PAYLOADS: &[&str] = &[
    "<script>alert('x')</script>",
    "<svg onload=alert(1)>",
    "</text><script>fetch('https://evil.example')</script><text>",
    "\"><image href=\"https://evil.example/x.png\"/>",
    "]]><![CDATA[<script>alert(1)</script>",
    "&lt;script&gt; &amp; <!-- -->",
];

#[tokio::test]
async fn markup_in_titles_and_descriptions_renders_as_plain_text() {
    for (i, payload) in PAYLOADS.iter().enumerate() {
        // A fresh workspace per payload: the feed changes by import, which the
        // shared catalog watches; these in-place updates would not be seen.
        let f = fixture().await;
        sqlx::query("UPDATE products SET title = ?1, brand = ?1, category = ?1, description = ?1 WHERE id = 4")
            .bind(payload)
            .execute(f.ws.pool())
            .await
            .unwrap();
        sqlx::query("UPDATE people SET first_name = ?1 WHERE id = 1")
            .bind(payload)
            .execute(f.ws.pool())
            .await
            .unwrap();
        let mut t = template();
        t.headline = "{{product.title}}".into();
        t.description = "{{person.first_name}} {{product.brand}}".into();
        t.business_name = payload.to_string();
        for format in AdFormat::ALL {
            let p = preview(&f.ws, &t, format, 1, AS_OF, None).await.unwrap();
            assert_inert(&p.ad.svg);
            // The payload is there, as text, for the reader to see.
            let doc = roxmltree::Document::parse(&p.ad.svg).unwrap();
            let text: String = doc
                .descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect::<Vec<_>>()
                .join(" ");
            let head: String = payload.chars().take(8).collect();
            assert!(text.contains(&head), "payload {i} {format:?}: {text}");
            svg_to_png(&p.ad.svg).unwrap();
        }
    }
}

#[tokio::test]
async fn no_network_reference_ever_and_local_images_are_embedded() {
    let f = fixture().await;
    let dir = tempfile::tempdir().unwrap();
    // A real PNG for the tripod, named like the feed's image link.
    let mut pixmap = resvg::tiny_skia::Pixmap::new(40, 30).unwrap();
    pixmap.fill(resvg::tiny_skia::Color::from_rgba8(200, 30, 30, 255));
    std::fs::write(dir.path().join("tripod.jpg"), pixmap.encode_png().unwrap()).unwrap();
    for format in AdFormat::ALL {
        for folder in [None, Some(dir.path())] {
            let p = preview(&f.ws, &template(), format, 1, AS_OF, folder)
                .await
                .unwrap();
            assert_inert(&p.ad.svg);
            assert!(!p.ad.svg.contains("href=\"http"), "{format:?}");
            assert!(!p.ad.svg.contains("shop.example/images"), "{format:?}");
            let first = &p.ad.images[0];
            match folder {
                Some(_) => assert!(
                    matches!(first.origin, ImageOrigin::File { .. }),
                    "{:?}",
                    first.origin
                ),
                None => assert!(matches!(first.origin, ImageOrigin::Placeholder { .. })),
            }
        }
    }
    let p = preview(
        &f.ws,
        &template(),
        AdFormat::MetaSquare,
        1,
        AS_OF,
        Some(dir.path()),
    )
    .await
    .unwrap();
    assert!(p.ad.svg.contains("href=\"data:image/png;base64,"));
    // The embedded photo shows in the PNG: the middle of the image area is red.
    let png = svg_to_png(&p.ad.svg).unwrap();
    let decoded = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
    let px = decoded.pixel(540, 400).unwrap();
    assert!(px.red() > 180 && px.green() < 60, "{px:?}");
}

#[tokio::test]
async fn the_same_ad_gives_the_same_png_bytes() {
    let f = fixture().await;
    for format in [
        AdFormat::MetaSquare,
        AdFormat::MetaCarousel,
        AdFormat::Google300x250,
    ] {
        let a = preview(&f.ws, &template(), format, 1, AS_OF, None)
            .await
            .unwrap();
        let b = preview(&f.ws, &template(), format, 1, AS_OF, None)
            .await
            .unwrap();
        assert_eq!(a.ad.svg, b.ad.svg);
        let (pa, pb) = (
            svg_to_png(&a.ad.svg).unwrap(),
            svg_to_png(&b.ad.svg).unwrap(),
        );
        assert!(pa.starts_with(b"\x89PNG"));
        assert_eq!(pa, pb, "{format:?}");
    }
}

#[tokio::test]
async fn templates_are_stored_in_the_workspace_with_the_builtins_added_once() {
    let f = fixture().await;
    // A workspace without the demo data starts with the neutral starters.
    let listed = list_templates(&f.ws, 1).await.unwrap();
    let names: Vec<&str> = listed.iter().map(|t| t.definition.name.as_str()).collect();
    let starters: Vec<String> = starter_templates().into_iter().map(|t| t.name).collect();
    let mut expected: Vec<&str> = starters.iter().map(String::as_str).collect();
    expected.sort_unstable();
    assert_eq!(names, expected);
    assert!(listed
        .iter()
        .all(|t| t.definition.logo.is_none() && t.definition.business_name == "Your shop"));
    delete_template(&f.ws, listed[0].id).await.unwrap();
    assert_eq!(
        list_templates(&f.ws, 2).await.unwrap().len(),
        listed.len() - 1,
        "a deleted built-in stays deleted"
    );
    // Demo data loaded later brings the demo brand's templates, once.
    sqlx::query(
        "INSERT INTO imports (file_name, format, content_hash, started_at, status)
         VALUES ('demo', 'demo', 'demo-hash', 3, 'complete')",
    )
    .execute(f.ws.pool())
    .await
    .unwrap();
    let with_demo = list_templates(&f.ws, 3).await.unwrap();
    assert_eq!(with_demo.len(), listed.len() - 1 + demo_templates().len());
    assert_eq!(
        list_templates(&f.ws, 4).await.unwrap().len(),
        with_demo.len()
    );

    let mut t = template();
    t.name = "  Spring sale ".into();
    t.colors.accent = "#123abc".into();
    let saved = save_template(&f.ws, None, &t, 5).await.unwrap();
    assert_eq!(saved.definition.name, "Spring sale");
    assert_eq!(
        find_template(&f.ws, "Spring sale", 6).await.unwrap().id,
        saved.id
    );
    assert_eq!(
        find_template(&f.ws, &saved.id.to_string(), 6)
            .await
            .unwrap()
            .id,
        saved.id
    );
    let err = save_template(&f.ws, None, &t, 7).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::AlreadyExists);
    t.headline = "{{product.nme}}".into();
    let err = save_template(&f.ws, Some(saved.id), &t, 8)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("headline, column 1"), "{err}");
    t.headline = "New {{product.title}}".into();
    let updated = save_template(&f.ws, Some(saved.id), &t, 9).await.unwrap();
    assert_eq!(updated.updated_at, 9);
    assert_eq!(updated.created_at, 5);
    assert_eq!(
        find_template(&f.ws, "nope", 1).await.unwrap_err().code(),
        ErrorCode::TemplateNotFound
    );

    assert_eq!(images_folder(&f.ws).await.unwrap(), None);
    let dir = tempfile::tempdir().unwrap();
    set_images_folder(&f.ws, Some(dir.path())).await.unwrap();
    assert_eq!(
        images_folder(&f.ws).await.unwrap().as_deref(),
        Some(dir.path())
    );
    assert!(set_images_folder(&f.ws, Some(&dir.path().join("missing")))
        .await
        .is_err());
}

#[tokio::test]
async fn suggested_people_are_recent_cart_abandoners_then_viewers() {
    let f = fixture().await;
    let people = suggested_people(&f.ws, AS_OF, 5).await.unwrap();
    let said: Vec<(i64, &str)> = people
        .iter()
        .map(|p| (p.person.id, p.summary.as_str()))
        .collect();
    // Person 1 carted the tripod; the others only viewed, most recent first
    // (3 viewed the microphone 18 days back, 4 and 5 19 days back, 2 the
    // camera 20 days back), none of them bought what they viewed.
    assert_eq!(
        said,
        [
            (1, "Carted Atlas Carbon Travel Tripod, not bought"),
            (3, "Viewed Echo Shotgun Microphone, not bought"),
            (4, "Viewed Echo Shotgun Microphone, not bought"),
            (5, "Viewed Echo Shotgun Microphone, not bought"),
            (
                2,
                "Viewed Kestrel K7 Full-Frame Mirrorless Camera, not bought"
            ),
        ]
    );
    let two = suggested_people(&f.ws, AS_OF, 2).await.unwrap();
    assert_eq!(two.iter().map(|p| p.person.id).collect::<Vec<_>>(), [1, 3]);
}

#[tokio::test]
async fn a_new_purchase_is_seen_by_the_next_preview() {
    let f = fixture().await;
    let first = preview(&f.ws, &template(), AdFormat::MetaSquare, 1, AS_OF, None)
        .await
        .unwrap();
    assert_eq!(first.ad.product_ids, vec![4]);
    sqlx::query("INSERT INTO events (person_id, ts, name, product_id, order_id) VALUES (1, ?1, 'purchase', 4, 'o5')")
        .bind(AS_OF - DAY / 2)
        .execute(f.ws.pool())
        .await
        .unwrap();
    let second = preview(&f.ws, &template(), AdFormat::MetaSquare, 1, AS_OF, None)
        .await
        .unwrap();
    assert_eq!(
        second.ad.product_ids,
        vec![1],
        "the tripod is bought; the camera is next"
    );
    // The shared catalog was read again: the tripod now counts as bought with the camera.
    let c = catalog(&f.ws, AS_OF).await.unwrap();
    assert!(
        std::sync::Arc::ptr_eq(&c, &catalog(&f.ws, AS_OF).await.unwrap()),
        "unchanged workspace, same catalog"
    );
    // Every moment after the last event sees the same data: same catalog.
    // At the last event's own time that event is not counted yet: another.
    let last: i64 = sqlx::query_scalar("SELECT max(ts) FROM events")
        .fetch_one(f.ws.pool())
        .await
        .unwrap();
    let after = catalog(&f.ws, last + 1).await.unwrap();
    assert!(std::sync::Arc::ptr_eq(
        &after,
        &catalog(&f.ws, last + 30 * DAY).await.unwrap()
    ));
    let at_last = catalog(&f.ws, last).await.unwrap();
    assert!(!std::sync::Arc::ptr_eq(&after, &at_last));
}
