//! Creatives on a marketer's own export: the REES46 event log (1 Oct 2019,
//! lower-case brands, no names) beside a store's orders of 2025. Suggestions
//! follow the log's own last day, and
//! the starter template's copy reads right without a first name.

use std::path::PathBuf;

use rebound_core::{CancelToken, Workspace};
use rebound_creatives::*;
use rebound_import::{self as import, ImportRequest};

#[tokio::test]
async fn previews_work_for_people_from_an_imported_event_log() {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::create(&dir.path().join("own.rebound"))
        .await
        .unwrap();
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../../shared/data/exports/rees46_2019-Oct_head_sample.csv");
    let request = ImportRequest {
        path: file.to_string_lossy().into_owned(),
        format: None,
        mapping: None,
        save_mapping: false,
        conversion: None,
    };
    import::run(&ws, &request, &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    // Orders from a store, six years after the log.
    let orders = ImportRequest {
        path: file
            .with_file_name("shopify_orders_export_devstore_redacted.csv")
            .to_string_lossy()
            .into_owned(),
        ..request.clone()
    };
    import::run(&ws, &orders, &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    // Today is years after the log; previews are for the log's last day.
    let now = chrono::NaiveDate::from_ymd_opt(2026, 12, 2)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap()
        .and_utc()
        .timestamp_micros();
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    // Suggestions follow the log's views and carts, not the store's orders.
    let at = suggestion_moment(&ws, now).await.unwrap();
    assert_eq!(at, rebound_core::time::end_of_day(day(2019, 10, 1)));
    assert_eq!(
        preview_moment(&ws, now).await.unwrap(),
        rebound_core::time::end_of_day(day(2025, 12, 6))
    );
    let people = suggested_people(&ws, at, 10).await.unwrap();
    assert_eq!(people.len(), 10);
    assert!(
        people[0].summary.starts_with("Carted "),
        "{}",
        people[0].summary
    );
    assert!(suggested_people(&ws, now, 10).await.unwrap().is_empty());

    // A new workspace starts with the neutral starters, not the demo brand.
    let templates = list_templates(&ws, now).await.unwrap();
    assert!(templates
        .iter()
        .all(|t| t.definition.name.starts_with("Starter")));
    let cart = templates
        .iter()
        .find(|t| t.definition.name == "Starter · Back to your cart")
        .unwrap();
    let shown = preview(
        &ws,
        &cart.definition,
        AdFormat::GoogleLandscape,
        people[0].person.id,
        at,
        None,
    )
    .await
    .unwrap();
    let title = &shown.picks[0].product.title;
    assert_eq!(shown.ad.product_ids[0], shown.picks[0].product.id);
    // REES46 has no titles: they are brand and category, in lower case.
    assert_eq!(title, &title.to_lowercase());
    let mut capital = title.chars();
    let first = capital.next().unwrap().to_uppercase().collect::<String>();
    let expected = format!(
        "{first}{} is waiting for you. Check out in a minute.",
        capital.as_str()
    );
    let description = shown
        .ad
        .texts
        .iter()
        .find(|t| t.field == "description")
        .unwrap();
    assert_eq!(description.full, expected);

    // `{{product.category}}` says the category's last level in words, never
    // REES46's code ("electronics.smartphone" reads "Smartphone").
    let code = shown.picks[0].product.category.clone().unwrap();
    assert!(code.contains('.'), "{code}");
    let leaf = code.rsplit('.').next().unwrap().replace('_', " ");
    let mut words = cart.definition.clone();
    words.headline = "More in {{product.category}}".into();
    let shown = preview(
        &ws,
        &words,
        AdFormat::GoogleLandscape,
        people[0].person.id,
        at,
        None,
    )
    .await
    .unwrap();
    let headline = shown
        .ad
        .texts
        .iter()
        .find(|t| t.field == "headline")
        .unwrap();
    let mut first = leaf.chars();
    let leaf = first
        .next()
        .unwrap()
        .to_uppercase()
        .chain(first)
        .collect::<String>();
    assert_eq!(headline.full, format!("More in {leaf}"));
    ws.close().await;
}
