//! Segments on a marketer's own exports: the REES46 log (1 Oct 2019, three
//! hours) beside a Shopify orders export (6 Dec 2025). The default "as of"
//! follows the events a rule is about, and an empty count says where its
//! people are. Expected figures are computed here from the file itself.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};
use rebound_core::time::{end_of_day, MICROS_PER_DAY, MICROS_PER_HOUR};
use rebound_core::{CancelToken, Workspace};
use rebound_import::{self as import, ImportRequest};
use rebound_segments::templates::{cart_abandoners, recent_purchasers};
use rebound_segments::*;

fn export(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../../shared/data/exports")
        .join(name)
}

async fn import_file(ws: &Workspace, name: &str) {
    let request = ImportRequest {
        path: export(name).to_string_lossy().into_owned(),
        format: None,
        mapping: None,
        save_mapping: false,
        conversion: None,
    };
    import::run(ws, &request, &|_| {}, &CancelToken::new())
        .await
        .expect("import");
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Cart abandoners as the template describes them, straight from the CSV:
/// a cart in the 14 days before `as_of`, over 24 hours ago, no purchase
/// after it (before `as_of`).
fn abandoners_in_file(as_of: i64) -> usize {
    let text = std::fs::read_to_string(export("rees46_2019-Oct_head_sample.csv")).unwrap();
    let mut by_user: HashMap<String, Vec<(i64, String)>> = HashMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.trim_end_matches('\r').split(',').collect();
        if f.len() != 9 {
            continue; // the cut-short last row
        }
        let at = NaiveDateTime::parse_from_str(f[0].trim_end_matches(" UTC"), "%Y-%m-%d %H:%M:%S")
            .unwrap()
            .and_utc()
            .timestamp_micros();
        by_user
            .entry(f[7].to_string())
            .or_default()
            .push((at, f[1].to_string()));
    }
    by_user
        .values()
        .filter(|events| {
            events.iter().any(|(t, kind)| {
                kind == "cart"
                    && *t >= as_of - 14 * MICROS_PER_DAY
                    && *t + 24 * MICROS_PER_HOUR < as_of
                    && !events
                        .iter()
                        .any(|(b, k)| k == "purchase" && *b > *t && *b < as_of)
            })
        })
        .count()
}

#[tokio::test]
async fn the_default_moment_follows_the_events_a_rule_is_about() {
    let fixture = common::empty_workspace().await;
    let ws = &fixture.workspace;
    import_file(ws, "rees46_2019-Oct_head_sample.csv").await;
    import_file(ws, "shopify_orders_export_devstore_redacted.csv").await;
    let now = end_of_day(day("2026-12-02"));

    // Carts end on 1 Oct 2019, whatever the orders say.
    let carts = cart_abandoners();
    let as_of = resolve_as_of(ws, &carts, None, now).await.unwrap();
    assert_eq!(as_of, end_of_day(day("2019-10-01")));
    let (names, span) = data_span(ws, &carts).await.unwrap().unwrap();
    assert_eq!(names, ["add_to_cart"]);
    assert_eq!(span.last_day(), day("2019-10-01"));
    // Purchases end with the Shopify orders.
    let buyers = recent_purchasers();
    let as_of_buyers = resolve_as_of(ws, &buyers, None, now).await.unwrap();
    assert_eq!(as_of_buyers, end_of_day(day("2025-12-06")));
    // A day the user gives is that day's end.
    assert_eq!(
        resolve_as_of(ws, &carts, Some(day("2019-10-02")), now)
            .await
            .unwrap(),
        end_of_day(day("2019-10-02"))
    );

    // At the end of the last day of carts, none has waited 24 hours yet:
    // the count is zero and says which day has them.
    assert_eq!(abandoners_in_file(as_of), 0);
    let counted = count_explained(ws, &carts, as_of).await.unwrap();
    assert_eq!(counted.members, 0);
    let hint = counted.zero.expect("a zero is explained");
    assert_eq!(hint.data.last_day, "2019-10-01");
    assert!(!hint.after_data && !hint.before_data);
    let suggestion = hint.suggestion.expect("a day with members");
    assert_eq!(suggestion.day, "2019-10-02");
    let expected = abandoners_in_file(end_of_day(day("2019-10-02")));
    assert_eq!(expected, 53);
    assert_eq!(suggestion.members, expected as u64);
    let then = count(ws, &carts, end_of_day(day("2019-10-02")))
        .await
        .unwrap();
    assert_eq!(then.members, expected as u64);
    assert_eq!(then.zero, None);

    // Evaluated today, the count is zero after the data and offers the same day.
    let today = count_explained(ws, &carts, now).await.unwrap();
    let hint = today.zero.expect("explained");
    assert!(hint.after_data);
    assert_eq!(hint.suggestion.unwrap().day, "2019-10-02");
    fixture.workspace.close().await;
}

/// A small GA4 BigQuery export: 42 people view an item on mobile (iOS and
/// Android), 10 on desktop, 8 only view pages on mobile. The file's device
/// fields become devices, so device filters, breakdowns and a person's
/// devices work on imported data.
#[tokio::test]
async fn ga4_device_fields_become_devices_that_rules_filter_on() {
    let fixture = common::empty_workspace().await;
    let ws = &fixture.workspace;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ga4_events.json");
    let mut lines = Vec::new();
    let base = 1_612_069_510_000_000_i64; // 31 Jan 2021
    let device = |category: &str, os: &str, browser: &str| {
        format!(
            r#""device":{{"category":"{category}","operating_system":"{os}","web_info":{{"browser":"{browser}"}}}}"#
        )
    };
    for i in 0..60 {
        let (event, dev) = match i {
            0..=29 => ("view_item", device("mobile", "iOS", "Safari")),
            30..=41 => ("view_item", device("mobile", "Android", "Chrome")),
            42..=51 => ("view_item", device("desktop", "Windows", "Edge")),
            _ => ("page_view", device("mobile", "iOS", "Safari")),
        };
        lines.push(format!(
            r#"{{"event_timestamp":"{}","event_name":"{event}","user_pseudo_id":"{}.17","event_params":[],{dev},"items":[{{"item_id":"SKU-{}","item_name":"Tee"}}]}}"#,
            base + i * 1_000_000,
            1_000 + i,
            i % 3
        ));
    }
    std::fs::write(&path, lines.join("\n")).unwrap();
    let request = ImportRequest {
        path: path.to_string_lossy().into_owned(),
        format: None,
        mapping: None,
        save_mapping: false,
        conversion: None,
    };
    let imported = import::run(ws, &request, &|_| {}, &CancelToken::new())
        .await
        .expect("import");

    let mobile_viewers = common::definition(
        "Viewed on mobile",
        Rule::Did {
            event: EventSpec::named("view_item").with(EventFilter::Device {
                any_of: vec![DeviceCategory::Mobile],
            }),
            count: CountCondition::default(),
            window: Window::Ever,
        },
    );
    let as_of = resolve_as_of(ws, &mobile_viewers, None, end_of_day(day("2026-12-02")))
        .await
        .unwrap();
    assert_eq!(as_of, end_of_day(day("2021-01-31")));
    let counted = count(ws, &mobile_viewers, as_of).await.unwrap();
    assert_eq!(counted.members, 42);
    assert_eq!(
        sql_member_ids(ws, &mobile_viewers, as_of)
            .await
            .unwrap()
            .len(),
        42
    );

    let viewers = common::definition(
        "Viewed",
        Rule::Did {
            event: EventSpec::named("view_item"),
            count: CountCondition::default(),
            window: Window::Ever,
        },
    );
    let split = breakdowns(ws, &viewers, as_of, &BreakdownOptions::default())
        .await
        .unwrap();
    let by_device: HashMap<&str, u64> = split
        .devices
        .iter()
        .map(|r| (r.key.as_str(), r.people))
        .collect();
    assert_eq!(by_device, HashMap::from([("mobile", 42), ("desktop", 10)]));
    assert_eq!(split.without_device, 0);

    let first = member_ids(ws, &mobile_viewers, as_of).await.unwrap()[0];
    let person = person_timeline(ws, first, 0, 10).await.unwrap();
    assert_eq!(person.devices.len(), 1);
    let d = &person.devices[0];
    assert_eq!(
        (d.category.as_str(), d.os.as_deref(), d.browser.as_deref()),
        ("mobile", Some("iOS"), Some("Safari"))
    );
    assert_eq!(d.external_id, "1000.17 (mobile, iOS, Safari)");
    assert_eq!(person.events[0].device_category.as_deref(), Some("mobile"));

    let devices = || sqlx::query_scalar::<_, i64>("SELECT count(*) FROM devices");
    assert_eq!(devices().fetch_one(ws.pool()).await.unwrap(), 60);
    import::undo(ws, imported.import.id).await.unwrap();
    assert_eq!(devices().fetch_one(ws.pool()).await.unwrap(), 0);
    fixture.workspace.close().await;
}

/// REES46 names a category by a dotted code on some rows and by a bare id on
/// others, and gives one title ("apple smartphone") to many products. Lists
/// show the code as a name, say an id is one, and tell same-titled products
/// apart. Expected rows are computed from the file.
#[tokio::test]
async fn categories_read_as_names_and_same_titled_products_are_told_apart() {
    let fixture = common::empty_workspace().await;
    let ws = &fixture.workspace;
    import_file(ws, "rees46_2019-Oct_head_sample.csv").await;

    // From the file: viewers per category value (code, else id) and per product.
    let text = std::fs::read_to_string(export("rees46_2019-Oct_head_sample.csv")).unwrap();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|line| line.trim_end_matches('\r').split(',').collect::<Vec<_>>())
        .filter(|f| f.len() == 9)
        .collect();
    let viewers: std::collections::HashSet<&str> = rows
        .iter()
        .filter(|f| f[1] == "view")
        .map(|f| f[7])
        .collect();
    let mut by_category: HashMap<String, std::collections::HashSet<String>> = HashMap::new();
    let mut titles: HashMap<String, String> = HashMap::new();
    for f in rows.iter().filter(|f| viewers.contains(f[7])) {
        let category = if f[4].is_empty() { f[3] } else { f[4] };
        by_category
            .entry(category.to_string())
            .or_default()
            .insert(f[7].to_string());
        if !f[5].is_empty() && !f[4].is_empty() {
            let leaf = f[4].rsplit('.').next().unwrap().replace('_', " ");
            titles.insert(f[2].to_string(), format!("{} {leaf}", f[5]));
        }
    }
    let mut expected: Vec<(usize, &String)> = by_category
        .iter()
        .map(|(c, people)| (people.len(), c))
        .collect();
    expected.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));

    let everyone = common::definition(
        "Viewers",
        Rule::Did {
            event: EventSpec::named("view_item"),
            count: CountCondition::default(),
            window: Window::Ever,
        },
    );
    let as_of = end_of_day(day("2019-10-01"));
    let options = BreakdownOptions {
        top: 200,
        activity_days: 30,
    };
    let split = breakdowns(ws, &everyone, as_of, &options).await.unwrap();
    let top: Vec<(u64, &str, &str)> = split
        .top_categories
        .iter()
        .map(|r| (r.people, r.key.as_str(), r.label.as_str()))
        .collect();
    assert_eq!(top.len(), expected.len().min(200));
    for ((people, key, label), (want, value)) in top.iter().zip(&expected) {
        assert_eq!((*people, *key), (*want as u64, value.as_str()));
        if value.chars().all(|c| c.is_ascii_digit()) {
            assert_eq!(*label, format!("Category {value} (no name in the data)"));
        } else {
            assert!(!label.contains('.') && !label.contains('_'), "{label}");
            assert!(label.contains(" › ") || !value.contains('.'), "{label}");
        }
    }
    let phones = split
        .top_categories
        .iter()
        .find(|r| r.key == "electronics.smartphone")
        .unwrap();
    assert_eq!(phones.label, "Electronics › Smartphone");

    // Products: every listed label is distinct, and a shared title carries its id.
    let labels: std::collections::HashSet<&str> = split
        .top_products
        .iter()
        .map(|r| r.label.as_str())
        .collect();
    assert_eq!(labels.len(), split.top_products.len());
    let shared = split
        .top_products
        .iter()
        .filter(|r| titles.get(&r.key).is_some_and(|t| t == "apple smartphone"))
        .collect::<Vec<_>>();
    assert!(
        shared.len() > 1,
        "the sample's top products hold several apple smartphones"
    );
    for row in shared {
        assert_eq!(row.label, format!("apple smartphone · {}", row.key));
    }

    // The rule builder's picker stores the value and shows the name.
    let words = vocabulary(ws).await.unwrap();
    let phones = words
        .categories
        .iter()
        .find(|c| c.value == "electronics.smartphone")
        .unwrap();
    assert_eq!(phones.label, "Electronics › Smartphone");
    fixture.workspace.close().await;
}
