//! The wizard's save, reach and projections, KPIs, attribution and
//! over-messaging on a 1,500-person demo workspace.

use chrono::NaiveDate;
use rebound_campaigns::attribution::AttributionBlock;
use rebound_campaigns::*;
use rebound_core::Workspace;
use rebound_segments::{create_segment, end_of_day, templates};
use rebound_sequences::model::Channel;
use rebound_sequences::rules::FrequencyCap;

fn end() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 31).unwrap()
}

/// The 1,500-person demo shop, built once for the whole test binary; each
/// test has its own copy.
async fn demo_workspace() -> (Workspace, tempfile::TempDir) {
    let (ws, dir) = rebound_testsupport::demo(1_500, 11).await;
    assert_eq!(rebound_testsupport::demo_end(), end());
    (ws, dir)
}

fn sums_to(block: &AttributionBlock) {
    let models: [fn(&attribution::AttributionRow) -> attribution::Credit; 4] = [
        |r| r.last_touch,
        |r| r.first_touch,
        |r| r.linear,
        |r| r.position_based,
    ];
    for (i, m) in models.iter().enumerate() {
        let conv: f64 = block.rows.iter().map(|r| m(r).conversions).sum();
        let rev: f64 = block.rows.iter().map(|r| m(r).revenue_minor).sum();
        assert!(
            (conv - block.conversions as f64).abs() < 1e-6,
            "model {i}: {conv}"
        );
        assert!(
            (rev - block.revenue_minor as f64).abs() < 1e-3,
            "model {i}: {rev}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn demo_campaigns_from_wizard_to_dashboard() {
    let (ws, _dir) = demo_workspace().await;
    let as_of = end_of_day(end());
    let template = templates()
        .into_iter()
        .find(|t| t.key == "cart_abandoners")
        .unwrap();
    let segment = create_segment(&ws, &template.definition, as_of)
        .await
        .unwrap();

    // Audience: consent makes reach differ per channel, never above the match.
    let channels = [ChannelKey::MetaAds, ChannelKey::Email, ChannelKey::Sms];
    let reach = audience_reach(&ws, segment.id, &channels, as_of)
        .await
        .unwrap();
    assert_eq!(reach.channels.len(), 3);
    let matched = reach.channels[0].matched;
    assert!(matched > 0);
    for c in &reach.channels {
        assert_eq!(c.matched, matched);
        assert_eq!(c.reachable + c.without_consent, c.matched);
    }
    assert!(reach.channels[2].reachable < reach.channels[1].reachable);

    // Projections from the demo's own 90 days.
    let draft = CampaignDraft {
        name: "Cart rescue journey".into(),
        goal: Goal::Journey,
        segment_id: Some(segment.id),
        channels: channels.to_vec(),
        creative_ids: vec![],
        sequence_id: None,
        messages_per_person: 2,
        budget: Some(Budget {
            kind: BudgetKind::Total,
            amount_minor: 150_000,
            currency: "USD".into(),
        }),
        starts_on: Some("2026-11-01".into()),
        ends_on: Some("2026-11-30".into()),
        status: CampaignStatus::Draft,
        platform_campaign_id: None,
    };
    let history = history(&ws, "USD", end(), 90).await.unwrap();
    let p = project(&draft, Some(&reach), &history, "USD");
    assert_eq!(p.days, 30);
    let meta = &p.channels[0];
    assert_eq!(meta.cost_minor, Some(150_000.0));
    let h = history
        .iter()
        .find(|h| h.channel == ChannelKey::MetaAds)
        .unwrap();
    let cpc = h.cost_minor as f64 / h.clicks as f64;
    assert!((meta.clicks.unwrap() - 150_000.0 / cpc).abs() < 1e-6);
    let email = &p.channels[1];
    assert_eq!(email.sends, Some(reach.channels[1].reachable as f64 * 2.0));
    assert!(p.conversions.unwrap() > 0.0);

    // Saved, listed first, then activated.
    let saved = create_campaign(&ws, &draft, as_of).await.unwrap();
    assert_eq!(
        saved.segment_name.as_deref(),
        Some(template.definition.name.as_str())
    );
    assert_eq!(saved.channels, channels.to_vec());
    let list = list_campaigns(&ws, as_of).await.unwrap();
    assert_eq!(list[0].id, saved.id);
    assert!(list.len() >= 7);
    let err = set_status(&ws, saved.id, CampaignStatus::Active, as_of)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("choose the creatives"), "{err}");
    let mut edit = saved.draft();
    edit.goal = Goal::Remarketing;
    edit.channels = vec![ChannelKey::Email];
    edit.budget = None;
    edit.ends_on = None;
    let edited = update_campaign(&ws, saved.id, &edit, as_of).await.unwrap();
    let active = set_status(&ws, edited.id, CampaignStatus::Active, as_of)
        .await
        .unwrap();
    assert_eq!(active.status, CampaignStatus::Active);

    // KPIs: every grouping adds up to the same totals.
    let q = |by| MetricsQuery {
        from: "2026-09-01".into(),
        to: "2026-10-31".into(),
        by,
        campaign_id: None,
    };
    let by_day = metrics(&ws, &q(Grouping::Day)).await.unwrap();
    assert_eq!(by_day.blocks.len(), 1);
    let totals = by_day.blocks[0].totals;
    assert!(totals.sums.cost_minor.unwrap() > 0 && totals.sums.sends.unwrap() > 0);
    for by in [
        Grouping::Week,
        Grouping::Month,
        Grouping::Channel,
        Grouping::Campaign,
    ] {
        let r = metrics(&ws, &q(by)).await.unwrap();
        let b = &r.blocks[0];
        assert_eq!(b.totals, totals, "{by:?}");
        let cost: i64 = b.rows.iter().filter_map(|r| r.kpis.sums.cost_minor).sum();
        let sends: i64 = b.rows.iter().filter_map(|r| r.kpis.sums.sends).sum();
        assert_eq!(
            (Some(cost), Some(sends)),
            (totals.sums.cost_minor, totals.sums.sends),
            "{by:?}"
        );
    }
    assert_eq!(by_day.blocks[0].rows.len(), 61);
    assert_eq!(by_day.previous_from, "2026-07-02"); // 61 days, like Sep 1 – Oct 31
    assert_eq!(by_day.previous_to, "2026-08-31");
    let prev = by_day.blocks[0].previous;
    let clicks = by_day.blocks[0]
        .deltas
        .iter()
        .find(|d| d.kpi == "clicks")
        .unwrap();
    assert_eq!(
        clicks.absolute,
        Some((totals.sums.clicks.unwrap() - prev.sums.clicks.unwrap()) as f64)
    );
    // One campaign's dashboard.
    let dpa = list
        .iter()
        .find(|c| c.name == "Meta DPA · Viewed, not bought")
        .unwrap();
    let one = metrics(
        &ws,
        &MetricsQuery {
            campaign_id: Some(dpa.id),
            ..q(Grouping::Channel)
        },
    )
    .await
    .unwrap();
    assert_eq!(one.blocks[0].rows.len(), 1);
    assert_eq!(one.blocks[0].rows[0].key, "meta_ads");
    let svg = chart_svg(&by_day.blocks[0], ChartKpi::Cost, Default::default()).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("<rect"));
    let png = _dir.path().join("chart.png");
    export_chart(&by_day.blocks[0], ChartKpi::Revenue, &png).unwrap();
    assert_eq!(&std::fs::read(&png).unwrap()[1..4], b"PNG");

    // Attribution: each model sums to the conversions and revenue.
    let a = attribution(
        &ws,
        &AttributionQuery {
            from: "2026-08-01".into(),
            to: "2026-10-31".into(),
            lookback_days: 30,
        },
    )
    .await
    .unwrap();
    assert_eq!(a.blocks.len(), 1);
    let block = &a.blocks[0];
    assert!(block.touched > 0 && block.touched < block.conversions);
    sums_to(block);
    let untouched = block.rows.iter().find(|r| r.campaign_id.is_none()).unwrap();
    assert_eq!(
        untouched.last_touch.conversions,
        (block.conversions - block.touched) as f64
    );
    // Models disagree somewhere once people have several touchpoints.
    assert!(block
        .rows
        .iter()
        .any(|r| (r.first_touch.conversions - r.last_touch.conversions).abs() > 1e-9));

    // Over-messaging: the trial e-mails and newsletter land in the same weeks.
    let o = over_messaging(
        &ws,
        &OverMessagingQuery {
            from: "2026-08-01".into(),
            to: "2026-10-31".into(),
            caps: Some(vec![FrequencyCap {
                channel: Channel::Email,
                max: 1,
                per_days: 7,
            }]),
        },
    )
    .await
    .unwrap();
    assert_eq!(o.caps_source, "query");
    let email = o.channels.iter().find(|c| c.channel == "email").unwrap();
    assert!(email.messages > 0);
    let weeks: u64 = email.per_week.iter().map(|w| w.person_weeks).sum();
    let over_in_a_calendar_week: u64 = email
        .per_week
        .iter()
        .filter(|w| w.messages > 1)
        .map(|w| w.person_weeks)
        .sum();
    assert!(weeks > 0);
    // Two sends in one calendar week are two sends within seven days.
    assert!(over_in_a_calendar_week > 0);
    assert!(email.people_over > 0);
    assert_eq!(email.caps[0].people_over, email.people_over);
    assert_eq!(email.caps[0].messages_over, email.messages_over_cap);
    assert!(email
        .worst
        .windows(2)
        .all(|w| w[0].messages >= w[1].messages));
    assert!(email
        .worst
        .iter()
        .all(|w| w.messages >= 2 && w.first_day <= w.last_day));
    // Channels with sends but no cap given are listed, and say so.
    assert!(o.notes.iter().any(|n| n.starts_with("no cap is set for")) == (o.channels.len() > 1));
    assert!(!o.ad_campaigns.is_empty());

    // Without caps, the workspace's sending rules are held: the ones the
    // sequence dry run obeys.
    let mut rules = rebound_sequences::get_rules(&ws).await.unwrap();
    rules.caps = vec![FrequencyCap {
        channel: Channel::Email,
        max: 2,
        per_days: 7,
    }];
    rebound_sequences::save_rules(&ws, &rules, 0).await.unwrap();
    let by_rules = over_messaging(
        &ws,
        &OverMessagingQuery {
            from: "2026-08-01".into(),
            to: "2026-10-31".into(),
            caps: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(by_rules.caps_source, "sending_rules");
    let email2 = by_rules
        .channels
        .iter()
        .find(|c| c.channel == "email")
        .unwrap();
    assert_eq!(email2.caps[0].description, "email at most 2 per 7 days");
    assert_eq!(email2.messages, email.messages);
    // A looser cap finds no more people over it.
    assert!(email2.people_over <= email.people_over);
}
