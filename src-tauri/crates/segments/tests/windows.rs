//! The documented edges of every window and operator, one person per side of
//! each edge, checked against both the SQL engine and the reference.

mod common;

use chrono::NaiveDate;
use rebound_segments::model::{MICROS_PER_DAY, MICROS_PER_HOUR};
use rebound_segments::reference::{self, ConsentRecord, Dataset, Event, Person};
use rebound_segments::*;

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, d).unwrap()
}

/// 2026-10-10 00:00 UTC.
fn t() -> i64 {
    day_start_micros(day(10))
}

fn people(n: i64) -> Vec<Person> {
    (1..=n)
        .map(|id| Person {
            id,
            first_seen_at: None,
            country: None,
            time_zone: None,
            locale: None,
            properties: "{}".into(),
        })
        .collect()
}

fn ev(person_id: i64, name: &str, ts: i64) -> Event {
    Event {
        person_id,
        ts,
        name: name.into(),
        device_id: None,
        product_id: None,
        page: None,
        source: None,
        value_minor: None,
        currency: None,
    }
}

fn data(n: i64, events: Vec<Event>) -> Dataset {
    Dataset {
        people: people(n),
        events,
        ..Dataset::default()
    }
}

/// Both evaluators give exactly `expected` for `definition` at `as_of`.
async fn check_definition(
    data: &Dataset,
    definition: &SegmentDefinition,
    as_of: i64,
    expected: &[i64],
) {
    let fixture = common::empty_workspace().await;
    common::write_dataset(&fixture.workspace, data).await;
    let engine = member_ids(&fixture.workspace, definition, as_of)
        .await
        .expect("engine");
    let reference: Vec<i64> = reference::evaluate(data, definition, as_of)
        .audience
        .into_iter()
        .collect();
    assert_eq!(engine, expected, "engine, rule {:?}", definition.rule);
    assert_eq!(reference, expected, "reference, rule {:?}", definition.rule);
    fixture.workspace.close().await;
}

async fn check(data: &Dataset, rule: Rule, as_of: i64, expected: &[i64]) {
    check_definition(data, &common::definition("edge", rule), as_of, expected).await;
}

fn did(name: &str, window: Window) -> Rule {
    Rule::Did {
        event: EventSpec::named(name),
        count: CountCondition::default(),
        window,
    }
}

#[tokio::test]
async fn last_days_include_their_start_and_exclude_the_as_of_instant() {
    let week = 7 * MICROS_PER_DAY;
    let d = data(
        5,
        vec![
            ev(1, "purchase", t() - week - 1),
            ev(2, "purchase", t() - week),
            ev(3, "purchase", t() - 1),
            ev(4, "purchase", t()),
            ev(5, "purchase", t() + 1),
        ],
    );
    check(
        &d,
        did("purchase", Window::LastDays { days: 7 }),
        t(),
        &[2, 3],
    )
    .await;
    check(&d, did("purchase", Window::Ever), t(), &[1, 2, 3]).await;
    check(&d, did("purchase", Window::Ever), t() + 1, &[1, 2, 3, 4]).await;
}

#[tokio::test]
async fn between_covers_whole_utc_days_and_stops_at_as_of() {
    let from = day(3);
    let to = day(5);
    let d = data(
        6,
        vec![
            ev(1, "view_item", day_start_micros(from) - 1),
            ev(2, "view_item", day_start_micros(from)),
            ev(3, "view_item", day_start_micros(to) + 12 * MICROS_PER_HOUR),
            ev(4, "view_item", end_of_day(to) - 1),
            ev(5, "view_item", end_of_day(to)),
            ev(
                6,
                "view_item",
                day_start_micros(to) + 12 * MICROS_PER_HOUR - 1,
            ),
        ],
    );
    let window = Window::Between { from, to };
    check(&d, did("view_item", window), t(), &[2, 3, 4, 6]).await;
    // As of noon on the last day, the rest of that day has not happened.
    check(
        &d,
        did("view_item", window),
        day_start_micros(to) + 12 * MICROS_PER_HOUR,
        &[2, 6],
    )
    .await;
}

#[tokio::test]
async fn followed_by_needs_a_later_event_within_the_delay_inclusive() {
    let a = t() - 3 * MICROS_PER_HOUR;
    let within = Span::Hours(1);
    let d = data(
        5,
        vec![
            ev(1, "add_to_cart", a),
            ev(1, "purchase", a),
            ev(2, "add_to_cart", a),
            ev(2, "purchase", a + MICROS_PER_HOUR),
            ev(3, "add_to_cart", a),
            ev(3, "purchase", a + MICROS_PER_HOUR + 1),
            ev(4, "add_to_cart", a),
            ev(4, "purchase", a + 1),
            // The purchase is after as_of, so it has not happened yet.
            ev(5, "add_to_cart", t() - 1),
            ev(5, "purchase", t()),
        ],
    );
    let rule = Rule::FollowedBy {
        first: EventSpec::named("add_to_cart"),
        then: EventSpec::named("purchase"),
        within,
        window: Window::LastDays { days: 1 },
    };
    check(&d, rule, t(), &[2, 4]).await;
    // An event never follows itself: add_to_cart followed by add_to_cart needs two rows.
    let twice = data(
        2,
        vec![
            ev(1, "add_to_cart", a),
            ev(2, "add_to_cart", a),
            ev(2, "add_to_cart", a + 5),
        ],
    );
    let rule = Rule::FollowedBy {
        first: EventSpec::named("add_to_cart"),
        then: EventSpec::named("add_to_cart"),
        within,
        window: Window::Ever,
    };
    check(&twice, rule, t(), &[2]).await;
}

#[tokio::test]
async fn not_followed_by_counts_only_once_the_waiting_time_is_over() {
    let hour = MICROS_PER_HOUR;
    let d = data(
        6,
        vec![
            ev(1, "add_to_cart", t() - 2 * hour),
            // a + within == as_of: the hour is not over yet.
            ev(2, "add_to_cart", t() - hour),
            // a + within == as_of - 1: over.
            ev(3, "add_to_cart", t() - hour - 1),
            ev(4, "add_to_cart", t() - 3 * hour),
            ev(4, "purchase", t() - 2 * hour),
            ev(5, "add_to_cart", t() - 3 * hour),
            ev(5, "purchase", t() - 2 * hour + 1),
            // A purchase at the same instant is not after the cart.
            ev(6, "add_to_cart", t() - 3 * hour),
            ev(6, "purchase", t() - 3 * hour),
        ],
    );
    let rule = Rule::NotFollowedBy {
        first: EventSpec::named("add_to_cart"),
        then: EventSpec::named("purchase"),
        within: Span::Minutes(60),
        window: Window::LastDays { days: 1 },
        none_since: false,
    };
    check(&d, rule, t(), &[1, 3, 5, 6]).await;
}

#[tokio::test]
async fn not_followed_by_and_none_since_looks_up_to_the_as_of_instant() {
    let hour = MICROS_PER_HOUR;
    let d = data(
        5,
        vec![
            // Carted, bought two hours later (after the hour to wait): not
            // abandoned once "none since" also looks past the hour.
            ev(1, "add_to_cart", t() - 5 * hour),
            ev(1, "purchase", t() - 3 * hour),
            // Carted, bought, carted again and left: the later cart counts.
            ev(2, "add_to_cart", t() - 5 * hour),
            ev(2, "purchase", t() - 5 * hour + 6 * 60_000_000),
            ev(2, "add_to_cart", t() - 5 * hour + 25 * 60_000_000),
            // Carted and never bought.
            ev(3, "add_to_cart", t() - 4 * hour),
            // Carted too recently to count as abandoned.
            ev(4, "add_to_cart", t() - hour),
            // Bought at the as-of instant: not before it, so not seen.
            ev(5, "add_to_cart", t() - 4 * hour),
            ev(5, "purchase", t()),
        ],
    );
    let rule = |none_since| Rule::NotFollowedBy {
        first: EventSpec::named("add_to_cart"),
        then: EventSpec::named("purchase"),
        within: Span::Minutes(60),
        window: Window::LastDays { days: 1 },
        none_since,
    };
    check(&d, rule(true), t(), &[2, 3, 5]).await;
    check(&d, rule(false), t(), &[1, 2, 3, 5]).await;
}

#[tokio::test]
async fn recency_edges_are_the_same_as_the_last_days_window() {
    let week = 7 * MICROS_PER_DAY;
    let d = data(
        4,
        vec![
            ev(1, "purchase", t() - week),
            ev(2, "purchase", t() - week - 1),
            ev(3, "purchase", t() - 1),
        ],
    );
    let recency = |op| Rule::Recency {
        event: EventSpec::named("purchase"),
        op,
        days: 7,
    };
    check(&d, recency(RecencyOp::WithinLast), t(), &[1, 3]).await;
    // Person 4 never bought: not lapsed, just not a customer.
    check(&d, recency(RecencyOp::MoreThanAgo), t(), &[2]).await;
}

#[tokio::test]
async fn counts_at_most_and_exactly_zero_include_people_who_never_did_it() {
    let e = |p, k| ev(p, "view_item", t() - MICROS_PER_HOUR * k);
    let d = data(
        4,
        vec![e(1, 1), e(2, 1), e(2, 2), e(3, 1), e(3, 2), e(3, 3)],
    );
    let count = |op, n| Rule::Did {
        event: EventSpec::named("view_item"),
        count: CountCondition { op, n },
        window: Window::Ever,
    };
    check(&d, count(CountOp::AtMost, 1), t(), &[1, 4]).await;
    check(&d, count(CountOp::Exactly, 0), t(), &[4]).await;
    check(&d, count(CountOp::Exactly, 2), t(), &[2]).await;
    check(&d, count(CountOp::AtLeast, 2), t(), &[2, 3]).await;
    check(&d, count(CountOp::AtLeast, 0), t(), &[1, 2, 3, 4]).await;
    check(
        &d,
        Rule::DidNot {
            event: EventSpec::named("view_item"),
            window: Window::Ever,
        },
        t(),
        &[4],
    )
    .await;
}

#[tokio::test]
async fn people_first_seen_after_as_of_are_in_no_segment() {
    let mut d = data(3, vec![]);
    d.people[1].first_seen_at = Some(t());
    d.people[2].first_seen_at = Some(t() - 1);
    check(
        &d,
        Rule::DidNot {
            event: EventSpec::named("purchase"),
            window: Window::Ever,
        },
        t(),
        &[1, 3],
    )
    .await;
    check(
        &d,
        Rule::Not {
            rule: Box::new(Rule::Any { rules: vec![] }),
        },
        t(),
        &[1, 3],
    )
    .await;
}

fn consent(id: i64, person_id: i64, granted: bool, recorded_at: i64) -> ConsentRecord {
    ConsentRecord {
        id,
        person_id,
        channel: Channel::Email,
        granted,
        recorded_at,
    }
}

#[tokio::test]
async fn consent_is_the_latest_row_before_as_of_with_ties_to_the_later_row() {
    let mut d = data(4, vec![]);
    d.consent = vec![
        // Person 1: granted, then denied at as_of (not yet visible).
        consent(1, 1, true, t() - 10),
        consent(2, 1, false, t()),
        // Person 2: two rows at the same instant; the later row (denied) wins.
        consent(3, 2, true, t() - 5),
        consent(4, 2, false, t() - 5),
        // Person 3: denied, then granted.
        consent(5, 3, false, t() - 9),
        consent(6, 3, true, t() - 8),
    ];
    let status = |status| Rule::Consent {
        channel: Channel::Email,
        status,
    };
    check(&d, status(ConsentStatus::Granted), t(), &[1, 3]).await;
    check(&d, status(ConsentStatus::Denied), t(), &[2]).await;
    check(&d, status(ConsentStatus::Unknown), t(), &[4]).await;
    check(&d, status(ConsentStatus::Denied), t() + 1, &[1, 2]).await;

    // A remarketing audience leaves out everyone whose consent is not granted, and says how many.
    let mut definition = common::definition("remarketing", Rule::All { rules: vec![] });
    definition.purpose = Purpose::Remarketing;
    definition.consent = Some(ConsentPolicy {
        channel: Channel::Email,
        include_without_consent: false,
    });
    check_definition(&d, &definition, t(), &[1, 3]).await;
    let fixture = common::empty_workspace().await;
    common::write_dataset(&fixture.workspace, &d).await;
    let c = count(&fixture.workspace, &definition, t())
        .await
        .expect("count");
    assert_eq!((c.matched, c.members, c.without_consent), (4, 2, 2));
    assert!(c.left_out_without_consent);
    definition.consent = Some(ConsentPolicy {
        channel: Channel::Email,
        include_without_consent: true,
    });
    let c = count(&fixture.workspace, &definition, t())
        .await
        .expect("count");
    assert_eq!((c.matched, c.members, c.without_consent), (4, 4, 2));
    assert!(!c.left_out_without_consent);
    fixture.workspace.close().await;
}

#[tokio::test]
async fn monetary_sums_one_currency_and_treats_no_purchases_as_zero() {
    let buy = |p, v: Option<i64>, cur: &str| Event {
        value_minor: v,
        currency: Some(cur.into()),
        ..ev(p, "purchase", t() - 5)
    };
    let d = data(
        4,
        vec![
            buy(1, Some(3_000), "USD"),
            buy(1, Some(2_000), "USD"),
            buy(2, Some(9_000), "EUR"),
            buy(3, None, "USD"),
        ],
    );
    let spend = |min_minor, max_minor| Rule::Monetary {
        event: "purchase".into(),
        currency: "USD".into(),
        window: Window::LastDays { days: 30 },
        min_minor,
        max_minor,
    };
    check(&d, spend(Some(5_000), None), t(), &[1]).await;
    check(&d, spend(Some(5_001), None), t(), &[]).await;
    check(&d, spend(None, Some(0)), t(), &[2, 3, 4]).await;
    check(&d, spend(Some(1), Some(5_000)), t(), &[1]).await;
}

#[tokio::test]
async fn page_filters_are_exact_prefix_or_substring_and_case_sensitive() {
    let page = |p, s: &str| Event {
        page: Some(s.into()),
        ..ev(p, "page_view", t() - 5)
    };
    let d = data(
        4,
        vec![
            page(1, "/pricing"),
            page(2, "/pricing/team"),
            page(3, "/Pricing"),
            page(4, "/docs?from=/pricing"),
        ],
    );
    let rule = |matches| Rule::Did {
        event: EventSpec::named("page_view").with(EventFilter::Page {
            matches,
            value: "/pricing".into(),
        }),
        count: CountCondition::default(),
        window: Window::Ever,
    };
    check(&d, rule(TextMatch::Equals), t(), &[1]).await;
    check(&d, rule(TextMatch::StartsWith), t(), &[1, 2]).await;
    check(&d, rule(TextMatch::Contains), t(), &[1, 2, 4]).await;
}

#[tokio::test]
async fn segments_can_use_other_segments_and_cycles_are_refused() {
    let d = data(
        3,
        vec![ev(1, "purchase", t() - 5), ev(2, "view_item", t() - 5)],
    );
    let fixture = common::empty_workspace().await;
    common::write_dataset(&fixture.workspace, &d).await;
    let ws = &fixture.workspace;
    create_segment(
        ws,
        &common::definition("buyers", did("purchase", Window::Ever)),
        1,
    )
    .await
    .expect("save");
    let not_buyers = common::definition(
        "not buyers",
        Rule::Not {
            rule: Box::new(Rule::InSegment {
                segment: "buyers".into(),
            }),
        },
    );
    create_segment(ws, &not_buyers, 1).await.expect("save");
    let ids = member_ids(ws, &not_buyers, t()).await.expect("members");
    assert_eq!(ids, vec![2, 3]);

    let buyers = get_segment_by_name(ws, "buyers").await.expect("get");
    let looping = common::definition(
        "buyers",
        Rule::InSegment {
            segment: "not buyers".into(),
        },
    );
    let err = update_segment(ws, buyers.id, &looping, 2)
        .await
        .expect_err("cycle");
    assert!(matches!(err, Error::Cycle { .. }), "{err}");
    let missing = common::definition(
        "dangling",
        Rule::InSegment {
            segment: "nobody".into(),
        },
    );
    let err = count(ws, &missing, t()).await.expect_err("unknown segment");
    assert_eq!(err.to_string(), "no segment named \"nobody\"");
    fixture.workspace.close().await;
}
