//! Property tests: both engines (the in-memory one the app counts with, and
//! the compiled SQL) against the brute-force reference.
//!
//! Random small event logs (five people, four event names, a fixed little
//! catalog and device list) with timestamps clustered on the edges of every
//! window — exact day and hour multiples before the as-of instant, one
//! microsecond either side — are written into a fresh workspace. Random rule
//! trees (every operator, every window, nested AND/OR/NOT, references to
//! saved segments, consent policies) are evaluated by all three; the audiences
//! must be the same person-id sets and the counts must agree.

mod common;

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use rebound_segments::model::{MICROS_PER_DAY, MICROS_PER_HOUR};
use rebound_segments::reference::{self, ConsentRecord, Dataset, Device, Event, Person, Product};
use rebound_segments::*;

const PEOPLE: i64 = 4;

fn t0() -> i64 {
    day_start_micros(base_day())
}

fn base_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 1).unwrap()
}

/// Hours before T0 that sit on the edges of the windows and delays below
/// (negative: after T0, so never visible).
const HOURS_BACK: &[i64] = &[
    -24, -1, 0, 1, 2, 23, 24, 25, 47, 48, 49, 71, 72, 167, 168, 169, 720, 721,
];

fn timestamp() -> impl Strategy<Value = i64> {
    (select(HOURS_BACK), select(vec![-1i64, 0, 0, 1]))
        .prop_map(|(h, jitter)| t0() - h * MICROS_PER_HOUR + jitter)
}

fn as_of() -> impl Strategy<Value = i64> {
    select(vec![
        t0(),
        t0(),
        t0() - MICROS_PER_HOUR,
        t0() + 1,
        t0() - MICROS_PER_DAY,
    ])
}

fn maybe<T: Clone + std::fmt::Debug + 'static>(values: Vec<T>) -> impl Strategy<Value = Option<T>> {
    prop_oneof![Just(None), select(values).prop_map(Some)]
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|s| s.to_string()).collect()
}

const EVENT_NAMES: &[&str] = &["view_item", "add_to_cart", "purchase"];
/// Event names in the log: the rule names, and one no rule asks about.
const LOG_NAMES: &[&str] = &[
    "view_item",
    "add_to_cart",
    "purchase",
    "view_item",
    "add_to_cart",
    "purchase",
    "page_view",
];

/// Delays between an event and its follower: the followed-by spans below,
/// so "exactly within", one microsecond more and one less all occur.
const FOLLOW_DELAYS: &[i64] = &[
    0,
    MICROS_PER_HOUR,
    MICROS_PER_DAY,
    2 * MICROS_PER_DAY,
    7 * MICROS_PER_DAY,
];
const PAGES: &[&str] = &["/pricing", "/pricing/team", "/products/kestrel", "/", ""];

fn products() -> Vec<Product> {
    vec![
        Product {
            id: 1,
            external_id: "SKU-1".into(),
            category: Some("Cameras".into()),
            price_minor: Some(10_000),
        },
        Product {
            id: 2,
            external_id: "SKU-2".into(),
            category: Some("Lenses".into()),
            price_minor: Some(2_500),
        },
        Product {
            id: 3,
            external_id: "SKU-3".into(),
            category: None,
            price_minor: None,
        },
    ]
}

fn devices() -> Vec<Device> {
    use DeviceCategory::*;
    [
        (1, 1, Mobile),
        (2, 1, Desktop),
        (3, 2, Tablet),
        (4, 3, Mobile),
        (5, 4, Other),
        (6, 2, Desktop),
    ]
    .into_iter()
    .map(|(id, person_id, category)| Device {
        id,
        person_id,
        category,
    })
    .collect()
}

fn event() -> impl Strategy<Value = Event> {
    (
        1..=PEOPLE,
        timestamp(),
        select(LOG_NAMES),
        maybe(vec![1i64, 2, 3, 4, 5, 6, 99]),
        maybe(vec![1i64, 2, 3, 9]),
        maybe(PAGES.to_vec()),
        maybe(vec!["google", "facebook"]),
        (maybe(vec![0i64, 500, 12_000]), maybe(vec!["USD", "EUR"])),
    )
        .prop_map(
            |(
                person_id,
                ts,
                name,
                device_id,
                product_id,
                page,
                source,
                (value_minor, currency),
            )| Event {
                person_id,
                ts,
                name: name.to_string(),
                device_id,
                product_id,
                page: page.map(str::to_string),
                source: source.map(str::to_string),
                value_minor,
                currency: currency.map(str::to_string),
            },
        )
}

const PROPERTIES: &[&str] = &[
    "{}",
    r#"{"intent":"high"}"#,
    r#"{"intent":"casual","registered":true}"#,
    r#"{"registered":false}"#,
    r#"{"intent":true}"#,
    "[1]",
    "{",
];

fn person(id: i64) -> impl Strategy<Value = Person> {
    (
        prop_oneof![Just(None), timestamp().prop_map(Some)],
        maybe(vec!["US", "DE"]),
        maybe(vec!["Europe/Berlin"]),
        select(PROPERTIES),
    )
        .prop_map(
            move |(first_seen_at, country, time_zone, properties)| Person {
                id,
                first_seen_at,
                country: country.map(str::to_string),
                time_zone: time_zone.map(str::to_string),
                locale: None,
                properties: properties.to_string(),
            },
        )
}

/// Few distinct times, so two rows of a person and channel often tie and
/// the row id decides which is the latest.
fn consent_time() -> impl Strategy<Value = i64> {
    select(vec![
        t0() - MICROS_PER_DAY,
        t0() - MICROS_PER_HOUR,
        t0() - 1,
        t0(),
        t0() + 1,
    ])
}

fn consent_records() -> impl Strategy<Value = Vec<ConsentRecord>> {
    prop::collection::vec(
        (
            1..=PEOPLE,
            select(vec![Channel::Email, Channel::Sms, Channel::Ads]),
            any::<bool>(),
            consent_time(),
        ),
        0..12,
    )
    .prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(
                |(i, (person_id, channel, granted, recorded_at))| ConsentRecord {
                    id: i as i64 + 1,
                    person_id,
                    channel,
                    granted,
                    recorded_at,
                },
            )
            .collect()
    })
}

/// Events, plus followers: copies of some events, renamed, at one of the
/// followed-by delays after them (±1 µs), so sequence edges are common.
fn events() -> impl Strategy<Value = Vec<Event>> {
    (
        prop::collection::vec(event(), 1..30),
        prop::collection::vec(
            (
                any::<prop::sample::Index>(),
                select(EVENT_NAMES),
                select(FOLLOW_DELAYS),
                -1i64..=1,
            ),
            0..12,
        ),
    )
        .prop_map(|(mut events, followers)| {
            let mut extra = Vec::new();
            for (index, name, delay, jitter) in followers {
                let mut e = index.get(&events).clone();
                e.name = name.to_string();
                e.ts += delay + jitter;
                extra.push(e);
            }
            events.extend(extra);
            events
        })
}

fn dataset() -> impl Strategy<Value = Dataset> {
    (
        (1..=PEOPLE).map(person).collect::<Vec<_>>(),
        events(),
        consent_records(),
        base_rule(),
        base_rule(),
    )
        .prop_map(|(people, events, consent, a, b)| Dataset {
            people,
            events,
            products: products(),
            devices: devices(),
            consent,
            segments: HashMap::from([("library_a".to_string(), a), ("library_b".to_string(), b)]),
        })
}

fn day(offset: i64) -> NaiveDate {
    base_day() + chrono::Duration::days(offset)
}

fn window() -> impl Strategy<Value = Window> {
    prop_oneof![
        Just(Window::Ever),
        select(vec![1u32, 2, 3, 7, 30]).prop_map(|days| Window::LastDays { days }),
        (
            select(vec![-30i64, -7, -3, -2, -1, 0, 1]),
            select(vec![-30i64, -7, -2, -1, 0, 1])
        )
            .prop_map(|(a, b)| {
                Window::Between {
                    from: day(a.min(b)),
                    to: day(a.max(b)),
                }
            }),
    ]
}

fn filter() -> impl Strategy<Value = EventFilter> {
    prop_oneof![
        subsequence(strings(&["SKU-1", "SKU-2", "SKU-3", "SKU-X"]), 1..=2)
            .prop_map(|any_of| EventFilter::Product { any_of }),
        subsequence(strings(&["Cameras", "Lenses"]), 1..=2)
            .prop_map(|any_of| EventFilter::Category { any_of }),
        (maybe(vec![2_500i64, 10_000]), maybe(vec![2_500i64, 10_000]))
            .prop_filter("a price bound", |(lo, hi)| lo.is_some() || hi.is_some())
            .prop_map(|(lo, hi)| match (lo, hi) {
                (Some(l), Some(h)) if l > h => EventFilter::Price {
                    min_minor: Some(h),
                    max_minor: Some(l)
                },
                _ => EventFilter::Price {
                    min_minor: lo,
                    max_minor: hi
                },
            }),
        (
            select(vec![
                TextMatch::Equals,
                TextMatch::StartsWith,
                TextMatch::Contains
            ]),
            select(vec!["/pricing", "/", "", "/products"])
        )
            .prop_map(|(matches, value)| EventFilter::Page {
                matches,
                value: value.to_string()
            }),
        subsequence(strings(&["google", "facebook"]), 1..=2)
            .prop_map(|any_of| EventFilter::Source { any_of }),
        subsequence(
            vec![
                DeviceCategory::Desktop,
                DeviceCategory::Mobile,
                DeviceCategory::Tablet
            ],
            1..=2
        )
        .prop_map(|any_of| EventFilter::Device { any_of }),
    ]
}

fn event_spec() -> impl Strategy<Value = EventSpec> {
    (
        select(EVENT_NAMES),
        prop::collection::vec(filter(), 0..=1),
        any::<bool>(),
    )
        .prop_map(|(name, filters, plain)| EventSpec {
            name: name.to_string(),
            filters: if plain { Vec::new() } else { filters },
        })
}

fn span() -> impl Strategy<Value = Span> {
    select(vec![
        Span::Minutes(60),
        Span::Hours(1),
        Span::Hours(24),
        Span::Days(1),
        Span::Days(2),
        Span::Days(7),
    ])
}

fn base_rule() -> impl Strategy<Value = Rule> {
    let count = (
        select(vec![CountOp::AtLeast, CountOp::AtMost, CountOp::Exactly]),
        0u32..=3,
    )
        .prop_map(|(op, n)| CountCondition { op, n });
    prop_oneof![
        3 => (event_spec(), count, window()).prop_map(|(event, count, window)| Rule::Did { event, count, window }),
        1 => (event_spec(), window()).prop_map(|(event, window)| Rule::DidNot { event, window }),
        3 => (event_spec(), event_spec(), span(), window())
            .prop_map(|(first, then, within, window)| Rule::FollowedBy { first, then, within, window }),
        3 => (event_spec(), event_spec(), span(), window(), any::<bool>())
            .prop_map(|(first, then, within, window, none_since)| Rule::NotFollowedBy { first, then, within, window, none_since }),
        2 => (event_spec(), select(vec![RecencyOp::WithinLast, RecencyOp::MoreThanAgo]), select(vec![1u32, 2, 7, 30]))
            .prop_map(|(event, op, days)| Rule::Recency { event, op, days }),
        2 => (
            select(vec!["purchase", "add_to_cart"]),
            select(vec!["USD", "EUR"]),
            window(),
            maybe(vec![0i64, 500, 12_000, 12_500]),
            maybe(vec![0i64, 500, 12_000, 12_500]),
        )
            .prop_filter("a money bound", |(_, _, _, lo, hi)| lo.is_some() || hi.is_some())
            .prop_map(|(event, currency, window, lo, hi)| {
                let (min_minor, max_minor) = match (lo, hi) {
                    (Some(l), Some(h)) if l > h => (Some(h), Some(l)),
                    other => other,
                };
                Rule::Monetary { event: event.to_string(), currency: currency.to_string(), window, min_minor, max_minor }
            }),
        1 => (select(vec![PersonField::Country, PersonField::TimeZone]), subsequence(strings(&["US", "DE", "Europe/Berlin"]), 1..=2))
            .prop_map(|(field, any_of)| Rule::Person { field, any_of }),
        1 => (
            select(vec!["intent", "registered"]),
            select(vec![
                PropertyValue::Text("high".into()),
                PropertyValue::Text("casual".into()),
                PropertyValue::Bool(true),
                PropertyValue::Bool(false),
            ]),
        )
            .prop_map(|(key, equals)| Rule::PersonProperty { key: key.to_string(), equals }),
        1 => (
            select(vec![Channel::Email, Channel::Sms, Channel::Ads]),
            select(vec![ConsentStatus::Granted, ConsentStatus::Denied, ConsentStatus::Unknown]),
        )
            .prop_map(|(channel, status)| Rule::Consent { channel, status }),
    ]
}

fn rule() -> impl Strategy<Value = Rule> {
    let leaf = prop_oneof![
        6 => base_rule(),
        1 => select(vec!["library_a", "library_b"]).prop_map(|s| Rule::InSegment { segment: s.to_string() }),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..=3).prop_map(|rules| Rule::All { rules }),
            prop::collection::vec(inner.clone(), 0..=3).prop_map(|rules| Rule::Any { rules }),
            inner.prop_map(|rule| Rule::Not {
                rule: Box::new(rule)
            }),
        ]
    })
}

fn definition() -> impl Strategy<Value = SegmentDefinition> {
    (
        rule(),
        maybe(vec![Channel::Email, Channel::Sms, Channel::Ads]),
        any::<bool>(),
    )
        .prop_map(
            |(rule, channel, include_without_consent)| SegmentDefinition {
                version: SCHEMA_VERSION,
                name: "under test".into(),
                description: None,
                purpose: Purpose::Retargeting,
                consent: channel.map(|channel| ConsentPolicy {
                    channel,
                    include_without_consent,
                }),
                rule,
            },
        )
}

struct Observed {
    audience: BTreeSet<i64>,
    sql_audience: BTreeSet<i64>,
    count: SegmentCount,
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, max_shrink_iters: 200, ..ProptestConfig::default() })]

    #[test]
    fn engine_matches_reference(data in dataset(), definitions in prop::collection::vec(definition(), 6), as_of in as_of()) {
        let observed: Vec<Observed> = runtime().block_on(async {
            let fixture = common::empty_workspace().await;
            common::write_dataset(&fixture.workspace, &data).await;
            let mut out = Vec::new();
            for d in &definitions {
                let audience = member_ids(&fixture.workspace, d, as_of).await.expect("member ids");
                let sql_audience = sql_member_ids(&fixture.workspace, d, as_of).await.expect("sql member ids");
                let count = count(&fixture.workspace, d, as_of).await.expect("count");
                out.push(Observed {
                    audience: audience.into_iter().collect(),
                    sql_audience: sql_audience.into_iter().collect(),
                    count,
                });
            }
            fixture.workspace.close().await;
            out
        });
        for (d, seen) in definitions.iter().zip(observed) {
            let want = reference::evaluate(&data, d, as_of);
            prop_assert_eq!(&seen.audience, &want.audience, "audience of {}", serde_json::to_string(d).unwrap());
            prop_assert_eq!(&seen.sql_audience, &want.audience, "SQL audience of {}", serde_json::to_string(d).unwrap());
            prop_assert_eq!(seen.count.matched, want.matched.len() as u64);
            prop_assert_eq!(seen.count.members, want.audience.len() as u64);
            let without = if d.consent.is_some() { want.without_consent.len() as u64 } else { 0 };
            prop_assert_eq!(seen.count.without_consent, without);
        }
    }

    #[test]
    fn membership_over_time_matches_reference(data in dataset(), d in definition()) {
        let from = day(-3);
        let to = day(0);
        let daily = runtime().block_on(async {
            let fixture = common::empty_workspace().await;
            common::write_dataset(&fixture.workspace, &data).await;
            let daily = membership_over_time(&fixture.workspace, &d, from, to).await.expect("membership");
            fixture.workspace.close().await;
            daily
        });
        prop_assert_eq!(daily.len(), 4);
        let mut before = reference::evaluate(&data, &d, end_of_day(from) - MICROS_PER_DAY).audience;
        for (row, offset) in daily.iter().zip(-3..=0) {
            let now = reference::evaluate(&data, &d, end_of_day(day(offset))).audience;
            prop_assert_eq!(&row.day, &day(offset).to_string());
            prop_assert_eq!(row.members, now.len() as u64);
            prop_assert_eq!(row.entries, now.difference(&before).count() as u64);
            prop_assert_eq!(row.exits, before.difference(&now).count() as u64);
            before = now;
        }
    }

    #[test]
    fn definitions_survive_a_json_round_trip(definitions in prop::collection::vec(definition(), 1..4)) {
        let mut named = definitions.clone();
        for (i, d) in named.iter_mut().enumerate() {
            d.name = format!("segment {i}");
        }
        let json = export_json(&named);
        prop_assert_eq!(parse_export(&json).expect("parse"), named);
    }
}
