//! Every template's rule against its own description: for each, people whose
//! histories the description puts in or out, in words, checked with the
//! in-memory engine, the SQL engine and the reference evaluator. A template
//! added without stories fails the last test.

mod common;

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rebound_segments::model::{MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE};
use rebound_segments::reference::{self, ConsentRecord, Dataset, Event, Person, Product};
use rebound_segments::templates::SOFTWARE_CATEGORY;
use rebound_segments::*;

/// The as-of instant: 2026-10-20 00:00 UTC.
fn t() -> i64 {
    day_start_micros(NaiveDate::from_ymd_opt(2026, 10, 20).unwrap())
}

const DAY: i64 = MICROS_PER_DAY;
const HOUR: i64 = MICROS_PER_HOUR;
const MINUTE: i64 = MICROS_PER_MINUTE;

/// Product 1 is a camera, product 2 the software plan.
const CAMERA: i64 = 1;
const SOFTWARE: i64 = 2;

/// One step of a story: an event `ago` micros before the as-of instant.
struct Step {
    name: &'static str,
    ago: i64,
    product: Option<i64>,
    page: Option<&'static str>,
}

fn at(name: &'static str, ago: i64) -> Step {
    Step {
        name,
        ago,
        product: Some(CAMERA),
        page: None,
    }
}

fn software(name: &'static str, ago: i64) -> Step {
    Step {
        product: Some(SOFTWARE),
        ..at(name, ago)
    }
}

fn page(path: &'static str, ago: i64) -> Step {
    Step {
        name: "page_view",
        ago,
        product: None,
        page: Some(path),
    }
}

/// A person's history in words, and whether the description puts them in.
struct Story {
    says: &'static str,
    steps: Vec<Step>,
    member: bool,
}

fn story(says: &'static str, member: bool, steps: Vec<Step>) -> Story {
    Story {
        says,
        steps,
        member,
    }
}

fn stories(key: &str) -> Vec<Story> {
    match key {
        "cart_abandoners" => vec![
            story(
                "carted 2 days ago and never bought",
                true,
                vec![at("add_to_cart", 2 * DAY)],
            ),
            story(
                "carted 3 days ago, bought within the hour",
                false,
                vec![at("add_to_cart", 3 * DAY), at("purchase", 3 * DAY - HOUR)],
            ),
            story(
                "carted 3 days ago, bought 2 days later: not within 24 hours, but since",
                false,
                vec![at("add_to_cart", 3 * DAY), at("purchase", DAY)],
            ),
            story(
                "carted at 02:23, bought at 02:29, carted again at 02:48 and left",
                true,
                vec![
                    at("add_to_cart", 3 * DAY),
                    at("purchase", 3 * DAY - 6 * MINUTE),
                    at("add_to_cart", 3 * DAY - 25 * MINUTE),
                ],
            ),
            story(
                "carted 12 hours ago: 24 hours not over",
                false,
                vec![at("add_to_cart", 12 * HOUR)],
            ),
            story(
                "carted 20 days ago: outside 14 days",
                false,
                vec![at("add_to_cart", 20 * DAY)],
            ),
        ],
        "product_viewers_without_purchase" => vec![
            story("viewed 3 days ago", true, vec![at("view_item", 3 * DAY)]),
            story(
                "viewed 3 days ago and bought yesterday",
                false,
                vec![at("view_item", 3 * DAY), at("purchase", DAY)],
            ),
            story(
                "bought 10 days ago, viewed 2 days ago",
                true,
                vec![at("purchase", 10 * DAY), at("view_item", 2 * DAY)],
            ),
            story("viewed 9 days ago", false, vec![at("view_item", 9 * DAY)]),
        ],
        "trial_signups_not_converted" => vec![
            story(
                "started a trial 5 days ago",
                true,
                vec![software("start_trial", 5 * DAY)],
            ),
            story(
                "started a trial 5 days ago, bought the plan 2 days ago",
                false,
                vec![
                    software("start_trial", 5 * DAY),
                    software("purchase", 2 * DAY),
                ],
            ),
            story(
                "bought the plan 20 days ago, then started another trial 5 days ago",
                true,
                vec![
                    software("purchase", 20 * DAY),
                    software("start_trial", 5 * DAY),
                ],
            ),
            story(
                "started a trial 5 days ago, bought a camera since",
                true,
                vec![software("start_trial", 5 * DAY), at("purchase", 2 * DAY)],
            ),
            story(
                "started a trial 2 hours ago: not a day ago",
                false,
                vec![software("start_trial", 2 * HOUR)],
            ),
            story(
                "started a trial 40 days ago",
                false,
                vec![software("start_trial", 40 * DAY)],
            ),
        ],
        "pricing_page_visitors" => vec![
            story(
                "visited /pricing 3 days ago",
                true,
                vec![page("/pricing", 3 * DAY)],
            ),
            story(
                "visited /features 3 days ago",
                false,
                vec![page("/features", 3 * DAY)],
            ),
            story(
                "visited /pricing and bought the plan in those 14 days",
                false,
                vec![software("purchase", 10 * DAY), page("/pricing", 3 * DAY)],
            ),
            story(
                "visited /pricing, bought a camera",
                true,
                vec![page("/pricing", 3 * DAY), at("purchase", 2 * DAY)],
            ),
            story(
                "visited /pricing 20 days ago",
                false,
                vec![page("/pricing", 20 * DAY)],
            ),
        ],
        "high_intent_browsers" => vec![
            story(
                "began a checkout 2 days ago",
                true,
                vec![at("begin_checkout", 2 * DAY)],
            ),
            story(
                "added to cart 2 days ago",
                true,
                vec![at("add_to_cart", 2 * DAY)],
            ),
            story(
                "viewed 5 products",
                true,
                (1..=5).map(|d| at("view_item", d * DAY)).collect(),
            ),
            story(
                "viewed 4 products",
                false,
                (1..=4).map(|d| at("view_item", d * DAY)).collect(),
            ),
            story(
                "added to cart and bought",
                false,
                vec![at("add_to_cart", 2 * DAY), at("purchase", DAY)],
            ),
        ],
        "casual_browsers" => vec![
            story(
                "visited and viewed 2 products",
                true,
                vec![
                    page("/", 3 * DAY),
                    at("view_item", 3 * DAY),
                    at("view_item", 2 * DAY),
                ],
            ),
            story("visited and viewed nothing", true, vec![page("/", 3 * DAY)]),
            story(
                "visited and viewed 3 products",
                false,
                vec![
                    page("/", 3 * DAY),
                    at("view_item", 3 * DAY),
                    at("view_item", 2 * DAY),
                    at("view_item", DAY),
                ],
            ),
            story(
                "visited and carted",
                false,
                vec![page("/", 3 * DAY), at("add_to_cart", 2 * DAY)],
            ),
            story("visited 20 days ago", false, vec![page("/", 20 * DAY)]),
        ],
        "lapsed_customers" => vec![
            story(
                "last bought 90 days ago",
                true,
                vec![at("purchase", 90 * DAY)],
            ),
            story(
                "bought 90 days ago and again 10 days ago",
                false,
                vec![at("purchase", 90 * DAY), at("purchase", 10 * DAY)],
            ),
            story("never bought", false, vec![at("view_item", 90 * DAY)]),
        ],
        "recent_purchasers" => vec![
            story("bought 10 days ago", true, vec![at("purchase", 10 * DAY)]),
            story("bought 40 days ago", false, vec![at("purchase", 40 * DAY)]),
        ],
        _ => Vec::new(),
    }
}

fn dataset(stories: &[Story]) -> Dataset {
    let mut data = Dataset {
        products: vec![
            Product {
                id: CAMERA,
                external_id: "camera".into(),
                category: Some("Cameras".into()),
                price_minor: Some(50_000),
            },
            Product {
                id: SOFTWARE,
                external_id: "plan".into(),
                category: Some(SOFTWARE_CATEGORY.into()),
                price_minor: Some(9_900),
            },
        ],
        ..Dataset::default()
    };
    for (i, story) in stories.iter().enumerate() {
        let id = i as i64 + 1;
        data.people.push(Person {
            id,
            first_seen_at: None,
            country: None,
            time_zone: None,
            locale: None,
            properties: "{}".into(),
        });
        // Remarketing templates need e-mail consent: everyone has given it.
        data.consent.push(ConsentRecord {
            id,
            person_id: id,
            channel: Channel::Email,
            granted: true,
            recorded_at: t() - 400 * DAY,
        });
        for step in &story.steps {
            data.events.push(Event {
                person_id: id,
                ts: t() - step.ago,
                name: step.name.into(),
                device_id: None,
                product_id: step.product,
                page: step.page.map(str::to_string),
                source: None,
                value_minor: None,
                currency: None,
            });
        }
    }
    data
}

#[tokio::test]
async fn every_template_does_what_its_description_says() {
    for template in templates() {
        let stories = stories(&template.key);
        let data = dataset(&stories);
        let fixture = common::empty_workspace().await;
        common::write_dataset(&fixture.workspace, &data).await;
        let definition = &template.definition;
        let engine: BTreeSet<i64> = member_ids(&fixture.workspace, definition, t())
            .await
            .expect("engine")
            .into_iter()
            .collect();
        let sql: BTreeSet<i64> = sql_member_ids(&fixture.workspace, definition, t())
            .await
            .expect("sql")
            .into_iter()
            .collect();
        let reference = reference::evaluate(&data, definition, t()).audience;
        for (i, story) in stories.iter().enumerate() {
            let id = i as i64 + 1;
            let description = definition.description.as_deref().unwrap_or("");
            for (engine_name, found) in [
                ("engine", &engine),
                ("sql", &sql),
                ("reference", &reference),
            ] {
                assert_eq!(
                    found.contains(&id),
                    story.member,
                    "{}: \"{description}\" — someone who {} should {}be in ({engine_name})",
                    template.key,
                    story.says,
                    if story.member { "" } else { "not " },
                );
            }
        }
        fixture.workspace.close().await;
    }
}

#[test]
fn every_template_has_stories_on_both_sides() {
    for template in templates() {
        let stories = stories(&template.key);
        assert!(
            stories.iter().any(|s| s.member) && stories.iter().any(|s| !s.member),
            "template {} needs people in and out of it",
            template.key
        );
    }
}
