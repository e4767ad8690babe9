//! The templates and every engine function on a 2,000-person demo workspace.

mod common;

use rebound_core::ErrorCode;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::NaiveDate;
use rebound_core::{CancelToken, Workspace};
use rebound_demo::{self as demo, DemoOptions};
use rebound_segments::templates::*;
use rebound_segments::*;
use tempfile::TempDir;

const PEOPLE: u64 = 2_000;

fn end_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 31).unwrap()
}

fn as_of() -> i64 {
    end_of_day(end_date())
}

/// One demo file for the whole test binary, built on its own runtime.
fn demo_path() -> PathBuf {
    static DEMO: OnceLock<(TempDir, PathBuf)> = OnceLock::new();
    DEMO.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("demo.rebound");
        let target = path.clone();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().expect("runtime");
            runtime.block_on(async {
                let options = DemoOptions {
                    people: PEOPLE as u32,
                    seed: 7,
                    end_date: end_date(),
                    currency: rebound_demo::CURRENCY.to_string(),
                };
                demo::build_file(&target, &options, &|_| {}, &CancelToken::new())
                    .await
                    .expect("demo workspace");
            });
        })
        .join()
        .expect("demo thread");
        (dir, path)
    })
    .1
    .clone()
}

async fn demo_workspace() -> Workspace {
    Workspace::open(&demo_path()).await.expect("open demo")
}

#[tokio::test]
async fn every_template_finds_a_plausible_audience() {
    let ws = demo_workspace().await;
    for template in templates() {
        let d = &template.definition;
        d.validate().expect("template is valid");
        let c = count(&ws, d, as_of()).await.expect("count");
        println!(
            "{:<40} matched {:>5}  members {:>5}  without consent {:>4}",
            d.name, c.matched, c.members, c.without_consent
        );
        assert!(c.members > 0, "{} is empty", d.name);
        assert!(
            c.matched < PEOPLE / 2,
            "{} matches {} of {PEOPLE} people",
            d.name,
            c.matched
        );
        match d.purpose {
            Purpose::Remarketing => {
                assert!(c.left_out_without_consent);
                assert!(
                    c.without_consent > 0,
                    "{}: nobody without e-mail consent?",
                    d.name
                );
                assert_eq!(c.members + c.without_consent, c.matched);
            }
            Purpose::Retargeting => assert_eq!(c.members, c.matched),
        }
    }
    ws.close().await;
}

#[tokio::test]
async fn high_intent_and_casual_browsers_do_not_overlap_and_overlap_is_pairwise_intersection() {
    let ws = demo_workspace().await;
    let defs = vec![
        high_intent_browsers(),
        casual_browsers(),
        recent_purchasers(),
        product_viewers_without_purchase(),
    ];
    let matrix = overlap(&ws, &defs, as_of()).await.expect("overlap");
    let sets: Vec<BTreeSet<i64>> = {
        let mut sets = Vec::new();
        for d in &defs {
            sets.push(
                member_ids(&ws, d, as_of())
                    .await
                    .expect("ids")
                    .into_iter()
                    .collect(),
            );
        }
        sets
    };
    for i in 0..defs.len() {
        for j in 0..defs.len() {
            assert_eq!(
                matrix.shared[i][j],
                sets[i].intersection(&sets[j]).count() as u64
            );
        }
    }
    assert_eq!(
        matrix.shared[0][1], 0,
        "a browser is high-intent or casual, not both"
    );
    // Viewers without a purchase in 7 days include people who bought 8 to 30 days ago.
    assert!(matrix.shared[2][3] > 0);
    ws.close().await;
}

#[tokio::test]
async fn members_come_in_pages_and_samples_repeat_for_a_seed() {
    let ws = demo_workspace().await;
    let d = product_viewers_without_purchase();
    let all = member_ids(&ws, &d, as_of()).await.expect("ids");
    let mut paged = Vec::new();
    let mut offset = 0;
    loop {
        let page = members(&ws, &d, as_of(), offset, 100).await.expect("page");
        assert_eq!(page.total, all.len() as u64);
        if page.people.is_empty() {
            break;
        }
        offset += page.people.len() as u64;
        paged.extend(page.people.into_iter().map(|m| m.person_id));
    }
    assert_eq!(paged, all);

    let first = sample(&ws, &d, as_of(), 25, 11).await.expect("sample");
    let again = sample(&ws, &d, as_of(), 25, 11).await.expect("sample");
    let other = sample(&ws, &d, as_of(), 25, 12).await.expect("sample");
    assert_eq!(first, again);
    assert_ne!(first, other);
    assert_eq!(first.len(), 25);
    let members: BTreeSet<i64> = all.into_iter().collect();
    assert!(first
        .iter()
        .all(|m| members.contains(&m.person_id) && m.first_name.is_some()));
    let distinct: BTreeSet<i64> = first.iter().map(|m| m.person_id).collect();
    assert_eq!(distinct.len(), 25);
    ws.close().await;
}

#[tokio::test]
async fn breakdowns_describe_the_audience() {
    let ws = demo_workspace().await;
    let d = cart_abandoners();
    let b = breakdowns(
        &ws,
        &d,
        as_of(),
        &BreakdownOptions {
            top: 5,
            activity_days: 30,
        },
    )
    .await
    .expect("breakdowns");
    let c = count(&ws, &d, as_of()).await.expect("count");
    assert_eq!(b.members, c.members);
    let with_device = b.members - b.without_device;
    let device_rows: u64 = b.devices.iter().map(|r| r.people).sum();
    assert!(device_rows >= with_device && with_device > 0, "{b:?}");
    assert!(b
        .devices
        .iter()
        .all(|r| ["desktop", "mobile", "tablet", "other"].contains(&r.key.as_str())));
    assert!(!b.top_products.is_empty() && b.top_products.len() <= 5);
    assert!(b
        .top_products
        .windows(2)
        .all(|w| w[0].people >= w[1].people));
    assert!(b
        .top_products
        .iter()
        .all(|r| r.people <= b.members && r.key.starts_with("SKU-") && !r.label.is_empty()));
    assert!(!b.top_categories.is_empty() && b.top_categories.len() <= 5);
    // Every cart abandoner added something to a cart in the last 14 days.
    let carted: u64 = b.top_categories.iter().map(|r| r.people).max().unwrap_or(0);
    assert!(carted > 0 && carted <= b.members);
    ws.close().await;
}

#[tokio::test]
async fn membership_over_time_agrees_with_daily_counts() {
    let ws = demo_workspace().await;
    let d = recent_purchasers();
    let from = end_date() - chrono::Duration::days(6);
    let days = membership_over_time(&ws, &d, from, end_date())
        .await
        .expect("membership");
    assert_eq!(days.len(), 7);
    let mut previous = count(&ws, &d, end_of_day(from) - model::MICROS_PER_DAY)
        .await
        .expect("count")
        .members;
    for (row, day) in days.iter().zip(from.iter_days()) {
        assert_eq!(row.day, day.to_string());
        assert_eq!(
            row.members,
            count(&ws, &d, end_of_day(day))
                .await
                .expect("count")
                .members
        );
        assert_eq!(row.members, previous + row.entries - row.exits);
        previous = row.members;
    }
    assert!(days.iter().any(|r| r.entries > 0) && days.iter().any(|r| r.exits > 0));

    let err = membership_over_time(&ws, &d, end_date(), from)
        .await
        .expect_err("reversed range");
    assert_eq!(err.code(), ErrorCode::InvalidRange);
    ws.close().await;
}

#[tokio::test]
async fn evaluating_as_of_an_earlier_date_ignores_what_came_later() {
    let ws = demo_workspace().await;
    let earlier = end_of_day(end_date() - chrono::Duration::days(45));
    let everyone = common::definition("everyone", Rule::All { rules: vec![] });
    let now = count(&ws, &everyone, as_of()).await.expect("count");
    let then = count(&ws, &everyone, earlier).await.expect("count");
    assert_eq!(now.members, PEOPLE);
    assert!(then.members < now.members && then.members > 0);
    let late: i64 = sqlx::query_scalar("SELECT count(*) FROM people WHERE first_seen_at >= ?1")
        .bind(earlier)
        .fetch_one(ws.pool())
        .await
        .expect("query");
    assert_eq!(then.members + late as u64, PEOPLE);
    ws.close().await;
}

#[tokio::test]
async fn a_person_timeline_joins_every_device_newest_first() {
    let ws = demo_workspace().await;
    // Someone who used more than one device, so the timeline must join them.
    let person: i64 = sqlx::query_scalar(
        "SELECT person_id FROM events WHERE device_id IS NOT NULL \
         GROUP BY person_id HAVING count(DISTINCT device_id) > 1 ORDER BY person_id LIMIT 1",
    )
    .fetch_one(ws.pool())
    .await
    .expect("a multi-device person");
    let all = person_timeline(&ws, person, 0, 500)
        .await
        .expect("timeline");
    assert!(all.devices.len() > 1, "{:?}", all.devices);
    assert!(!all.identities.is_empty());
    assert_eq!(all.events.len() as u64, all.total_events.min(500));
    assert!(
        all.events.windows(2).all(|w| w[0].ts >= w[1].ts),
        "newest first"
    );
    let devices_seen: BTreeSet<i64> = all.events.iter().filter_map(|e| e.device_id).collect();
    assert!(
        devices_seen.len() > 1,
        "events from every device in one list"
    );
    assert_eq!(
        all.devices.iter().map(|d| d.events).sum::<u64>(),
        all.events.iter().filter(|e| e.device_id.is_some()).count() as u64
    );
    let page = person_timeline(&ws, person, 1, 2).await.expect("page");
    assert_eq!(page.events, all.events[1..3.min(all.events.len())].to_vec());
    let missing = person_timeline(&ws, -1, 0, 10).await.unwrap_err();
    assert_eq!(missing.code(), ErrorCode::PersonNotFound);
}

#[tokio::test]
async fn the_vocabulary_lists_what_the_workspace_holds() {
    let ws = demo_workspace().await;
    let v = vocabulary(&ws).await.expect("vocabulary");
    let names: Vec<&str> = v.event_names.iter().map(|e| e.name.as_str()).collect();
    for expected in ["view_item", "add_to_cart", "purchase"] {
        assert!(names.contains(&expected), "{names:?}");
    }
    assert!(v.event_names.windows(2).all(|w| w[0].count >= w[1].count));
    assert!(v
        .categories
        .iter()
        .any(|c| c.value == SOFTWARE_CATEGORY && c.label == SOFTWARE_CATEGORY));
    assert_eq!(v.last_event_day.as_deref(), Some("2026-10-31"));
    assert!(v.currencies.iter().any(|c| c == "USD"));
}

#[tokio::test]
async fn membership_chart_draws_the_daily_figures() {
    let ws = demo_workspace().await;
    let chart = membership_chart(
        &ws,
        &cart_abandoners(),
        NaiveDate::from_ymd_opt(2026, 10, 25).unwrap(),
        end_date(),
        rebound_charts::ChartTheme::Light,
    )
    .await
    .expect("chart");
    assert_eq!(chart.days.len(), 7);
    assert!(chart.svg.starts_with("<svg") && chart.svg.contains("members"));
}

/// The engine's first read of a workspace tells how far it has got, and a
/// stop ends it with nothing kept; the next count reads again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_read_shows_progress_and_can_be_stopped() {
    let definition = cart_abandoners();
    let (first, last): (i64, i64) = {
        let ws = demo_workspace().await;
        sqlx::query_as("SELECT min(id), max(id) FROM events")
            .fetch_one(ws.pool())
            .await
            .expect("id range")
    };

    // A read followed to its end.
    let ws = demo_workspace().await;
    assert_eq!(reading(&ws), None, "nothing is read before it is asked for");
    let task = tokio::spawn({
        let ws = ws.clone();
        async move { prepare(&ws).await }
    });
    let mut seen = Vec::new();
    while !task.is_finished() {
        if let Some(r) = reading(&ws) {
            seen.push(r);
        }
        tokio::task::yield_now().await;
    }
    let (people, events) = task.await.expect("task").expect("prepare");
    assert_eq!(people, PEOPLE);
    assert!(!seen.is_empty(), "the read was never seen under way");
    for r in &seen {
        assert!(r.events_read <= r.events_total, "{r:?}");
    }
    let last_seen = seen.last().expect("seen");
    assert!(
        last_seen.events_total == 0 || last_seen.events_total == (last - first + 1) as u64,
        "{last_seen:?}"
    );
    assert!(events <= (last - first + 1) as u64);
    assert_eq!(reading(&ws), None, "nothing is under way after the read");
    assert!(!cancel_reading(&ws), "there is nothing to stop");

    // A read stopped on the way: the count waiting for it is cancelled.
    let ws = demo_workspace().await;
    let task = tokio::spawn({
        let ws = ws.clone();
        let definition = definition.clone();
        async move { count(&ws, &definition, as_of()).await }
    });
    let mut stopped = false;
    while !task.is_finished() {
        if cancel_reading(&ws) {
            stopped = true;
            break;
        }
        tokio::task::yield_now().await;
    }
    assert!(stopped, "the read ended before it could be stopped");
    let error = task.await.expect("task").expect_err("a stopped read");
    assert!(
        matches!(error, rebound_segments::Error::Cancelled),
        "{error}"
    );
    assert_eq!(error.code(), ErrorCode::Cancelled);
    assert_eq!(reading(&ws), None);
    // Nothing half-read was kept: the next count reads again and agrees
    // with the SQL engine.
    let members = count(&ws, &definition, as_of())
        .await
        .expect("count after a stop")
        .members;
    assert_eq!(
        members as usize,
        sql_member_ids(&ws, &definition, as_of())
            .await
            .expect("sql")
            .len()
    );
}
