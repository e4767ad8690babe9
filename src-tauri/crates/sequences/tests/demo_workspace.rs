//! The dry run, previews and the audience export on the demo shop: the
//! seed's journey runs end to end over real-shaped history.

use chrono::NaiveDate;
use rebound_core::time::day_start;
use rebound_core::{CancelToken, Workspace};
use rebound_demo::DemoOptions;
use rebound_sequences::{
    self as seq, model::Trigger, store::FlowStatus, DryRunOptions, MessagePreview, Step,
};

/// The 2,000-person demo shop up to 20 November 2026, built once for the
/// whole test binary; each test has its own copy.
async fn demo_workspace() -> (Workspace, tempfile::TempDir) {
    let end = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    rebound_testsupport::demo_with(DemoOptions::new(2_000, 42, end)).await
}

fn options(person_id: Option<i64>) -> DryRunOptions {
    DryRunOptions {
        from: "2026-10-21".into(),
        to: "2026-11-20".into(),
        seed: 42,
        person_id,
    }
}

#[tokio::test]
async fn the_seed_journey_runs_over_the_demo_shop() {
    let (ws, _dir) = demo_workspace().await;
    let flow = seq::templates::pricing_page_journey();
    let run = seq::dry_run(&ws, &flow, &options(None), &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    assert!(run.entered > 20, "entered {}", run.entered);
    let step = |id: &str| run.steps.iter().find(|s| s.step_id == id).unwrap().clone();
    // Everyone who entered reached the first step (the ad); the ad went to
    // those with ads consent, and the rest were counted.
    let ad = step("offer-ad");
    assert_eq!(ad.reached, run.entered);
    assert_eq!(ad.sent + ad.no_consent + ad.capped, ad.reached);
    assert!(ad.sent > 0 && ad.no_consent > 0);
    // The e-mail goes out at 09:00 local, so none is held by quiet hours.
    let email = step("case-study");
    assert!(email.sent > 0);
    assert_eq!(email.held, 0);
    for d in run.deliveries.iter().filter(|d| d.step_id == "case-study") {
        assert!(d.local_time.contains(" 09:00 "), "{d:?}");
    }
    // The branch splits everyone who got there; the people add up.
    let branch = step("re-engaged");
    assert_eq!(branch.yes + branch.no, branch.reached);
    assert_eq!(step("demo-ad").reached, branch.yes);
    assert_eq!(run.exited + run.completed + run.still_in_flow, run.entered);
    assert!(run.conversions.projected > 0.0);
    assert!(run.conversions.rates.iter().any(|r| r.touches > 0));
    // Reproducible.
    let again = seq::dry_run(&ws, &flow, &options(None), &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!(
        serde_json::to_value(&again.steps).unwrap(),
        serde_json::to_value(&run.steps).unwrap()
    );

    // One person's timeline: the entry, the pricing-page visit and what followed.
    let someone = run.deliveries[0].person_id;
    let one = seq::dry_run(
        &ws,
        &flow,
        &options(Some(someone)),
        &|_| {},
        &CancelToken::new(),
    )
    .await
    .unwrap();
    let journey = one.person.unwrap();
    assert!(journey.entered);
    assert!(journey
        .entries
        .iter()
        .any(|e| e.kind == "event" && e.detail == "page_view /pricing"));
    assert!(journey.entries.iter().any(|e| e.kind == "sent"));

    // The audience CSV: a header and one row per person who entered.
    let csv = seq::audience_csv(
        &ws,
        &flow,
        &run,
        day_start(NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()),
    )
    .await
    .unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.iter().collect::<Vec<_>>(), seq::export::CSV_COLUMNS);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len() as u64, run.entered);
    let with_subject = rows.iter().filter(|r| !r[12].is_empty()).count() as u64;
    assert_eq!(with_subject, email.sent);
    assert!(rows.iter().all(|r| !r[12].contains("{{")));
    ws.close().await;
}

#[tokio::test]
async fn other_active_flows_share_the_caps_and_segment_triggers_enter_daily() {
    let (ws, _dir) = demo_workspace().await;
    let cart = seq::templates::abandoned_cart();
    let alone = seq::dry_run(&ws, &cart, &options(None), &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    // A second flow on the same trigger, active, e-mails first.
    let mut rival = seq::templates::abandoned_cart();
    rival.name = "Rival cart flow".into();
    rival.steps.remove(0);
    seq::save_flow(&ws, None, &rival, FlowStatus::Active, 1)
        .await
        .unwrap();
    let shared = seq::dry_run(&ws, &cart, &options(None), &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!(shared.other_flows, vec!["Rival cart flow".to_string()]);
    let sent = |r: &seq::DryRun| {
        r.steps
            .iter()
            .find(|s| s.step_id == "cart-email-1")
            .unwrap()
            .sent
    };
    assert!(shared.collisions_total > 0);
    assert!(sent(&shared) < sent(&alone));
    assert!(shared
        .collisions
        .iter()
        .all(|c| c.filled_by.contains(&"Rival cart flow".to_string())));

    // A segment-entry trigger (a segment template by key) enters at 00:00 UTC checks.
    let mut by_segment = seq::templates::abandoned_cart();
    by_segment.name = "Cart by segment".into();
    by_segment.trigger = Trigger::SegmentEntry {
        segment: "cart_abandoners".into(),
    };
    let run = seq::dry_run(
        &ws,
        &by_segment,
        &options(None),
        &|_| {},
        &CancelToken::new(),
    )
    .await
    .unwrap();
    assert!(run.entered > 0);
    let bad = Trigger::SegmentEntry {
        segment: "no such segment".into(),
    };
    by_segment.trigger = bad;
    let err = seq::dry_run(
        &ws,
        &by_segment,
        &options(None),
        &|_| {},
        &CancelToken::new(),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("no such segment"), "{err}");
    ws.close().await;
}

#[tokio::test]
async fn previews_for_a_demo_person() {
    let (ws, _dir) = demo_workspace().await;
    let person: i64 = sqlx::query_scalar(
        "SELECT person_id FROM events WHERE name = 'add_to_cart' ORDER BY id LIMIT 1",
    )
    .fetch_one(ws.pool())
    .await
    .unwrap();
    let fields = seq::person_fields(&ws, person, i64::MAX).await.unwrap();
    assert!(fields.cart.is_some());
    let flow = seq::templates::abandoned_cart();
    let Some(Step::Message { message, .. }) = flow.step("cart-email-1") else {
        panic!("template changed")
    };
    let MessagePreview::Email(p) = seq::preview(message, &fields, 0).unwrap() else {
        panic!("an e-mail")
    };
    let title = fields.cart.unwrap().title;
    assert!(p.preheader.starts_with(&title), "{} / {title}", p.preheader);
    assert!(p.text.contains("Back to my cart"));
    assert_eq!(
        seq::person_fields(&ws, 999_999_999, 0)
            .await
            .unwrap_err()
            .code(),
        rebound_core::ErrorCode::PersonNotFound
    );
    ws.close().await;
}
