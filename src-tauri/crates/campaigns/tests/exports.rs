//! The real ad reports in ../shared/data/exports, imported through
//! `rebound-core::import`, then read back through `metrics`: the totals equal
//! the platform's own totals rows (kept by the formats crate, never stored as
//! data), currencies stay apart, and reports attach to wizard campaigns.

use std::fs::File;
use std::io::BufReader;
use std::ops::ControlFlow;
use std::path::PathBuf;

use rebound_campaigns::metrics::{Kpis, MetricsReport};
use rebound_campaigns::*;
use rebound_core::{CancelToken, Workspace};
use rebound_formats::{parse, CampaignMetrics, ParseOptions};
use rebound_import::{self as import, ImportRequest};
use tempfile::TempDir;

fn exports_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/data/exports")
}

/// The file's totals rows, as the formats crate reads them.
fn totals_rows(name: &str) -> Vec<CampaignMetrics> {
    let file = File::open(exports_dir().join(name)).expect("export file");
    let opts = ParseOptions {
        file_name: name.into(),
        ..ParseOptions::default()
    };
    parse(BufReader::new(file), &opts, |_| ControlFlow::Continue(()))
        .expect("parses")
        .meta
        .totals
}

async fn workspace() -> (Workspace, TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let ws = Workspace::create(&dir.path().join("w.rebound"))
        .await
        .expect("workspace");
    (ws, dir)
}

async fn import_file(ws: &Workspace, name: &str) {
    let request = ImportRequest {
        path: exports_dir().join(name).display().to_string(),
        format: None,
        mapping: None,
        save_mapping: false,
        conversion: None,
    };
    import::run(ws, &request, &|_| {}, &CancelToken::new())
        .await
        .unwrap_or_else(|e| panic!("import {name}: {e}"));
}

async fn report(ws: &Workspace, from: &str, to: &str, by: Grouping) -> MetricsReport {
    metrics(
        ws,
        &MetricsQuery {
            from: from.into(),
            to: to.into(),
            by,
            campaign_id: None,
        },
    )
    .await
    .expect("metrics")
}

/// Counts must be equal. Money may differ by the rounding of the rows the
/// platform printed: each row's cost is rounded to the cent, the totals row
/// is rounded once (the GBP file: rows 798.88 + 365.22, total 1,164.09), so
/// the sum can be off by at most half a cent per row.
fn assert_equals_totals_row(k: &Kpis, total: &CampaignMetrics, rows: usize, name: &str) {
    assert_eq!(k.sums.impressions, total.impressions, "{name}: impressions");
    assert_eq!(k.sums.clicks, total.clicks, "{name}: clicks");
    let tolerance = rows.div_ceil(2) as i64;
    let cost = total.cost.as_ref().map(|c| c.minor).expect("a cost total");
    let sum = k.sums.cost_minor.expect("a cost");
    assert!(
        (sum - cost).abs() <= tolerance,
        "{name}: cost {sum} vs {cost}"
    );
    // A report without conversions has none: absent, never a made-up zero.
    match total.conversions {
        Some(conv) => {
            let sum = k.sums.conversions.expect("conversions");
            assert!(
                (sum - conv).abs() < 1e-6,
                "{name}: conversions {sum} vs {conv}"
            );
        }
        None => assert_eq!(k.sums.conversions, None, "{name}: conversions"),
    }
    match &total.conversion_value {
        Some(v) => {
            let sum = k.sums.revenue_minor.expect("a conversion value");
            assert!(
                (sum - v.minor).abs() <= tolerance,
                "{name}: conversion value {sum} vs {}",
                v.minor
            );
        }
        None => assert_eq!(k.sums.revenue_minor, None, "{name}: revenue"),
    }
}

#[tokio::test]
async fn all_time_report_totals_equal_total_campaigns_and_stay_undated() {
    let name = "google_ads_campaign_report_alltime_usd.csv";
    let totals = totals_rows(name);
    assert_eq!(totals[0].campaign, "Total: Campaigns");
    let (ws, _dir) = workspace().await;
    import_file(&ws, name).await;
    let r = report(&ws, "2020-01-01", "2026-12-31", Grouping::Campaign).await;
    // "All time" has no dates: nothing of it may leak into a dated range.
    assert!(r.blocks.is_empty(), "{:?}", r.blocks);
    assert_eq!(r.undated.len(), 1);
    let block = &r.undated[0];
    assert_eq!(block.period, "All time");
    assert_eq!(block.currency, "USD");
    assert_eq!(block.rows.len(), 12);
    assert_equals_totals_row(&block.totals, &totals[0], 12, name);
    // This file's rows sum to the cent.
    assert_eq!(
        block.totals.sums.cost_minor,
        totals[0].cost.as_ref().map(|c| c.minor)
    );
    // Total: Account includes campaigns the report does not list.
    assert_ne!(
        block.totals.sums.cost_minor,
        totals[1].cost.as_ref().map(|c| c.minor)
    );
    // The per-campaign rows add up to the block's totals.
    let clicks: i64 = block.rows.iter().filter_map(|r| r.kpis.sums.clicks).sum();
    assert_eq!(Some(clicks), block.totals.sums.clicks);
    // Rates from the totals: CTR = clicks / impressions.
    assert_eq!(block.totals.ctr, Some(167_739.0 / 14_117_313.0));
    // By channel, the same totals in one row.
    let by_channel = report(&ws, "2020-01-01", "2026-12-31", Grouping::Channel).await;
    assert_eq!(by_channel.undated[0].rows.len(), 1);
    assert_eq!(by_channel.undated[0].rows[0].label, "Google Ads");
    assert_equals_totals_row(&by_channel.undated[0].rows[0].kpis, &totals[0], 12, name);
}

#[tokio::test]
async fn dated_reports_equal_their_totals_rows_inside_their_period_only() {
    for (name, from, to) in [
        (
            "google_ads_campaign_report_gbp_utf8.csv",
            "2026-01-27",
            "2026-02-23",
        ),
        ("google_ads_campaign_report_gbp_utf16_tab.csv", "", ""),
        (
            "google_ads_campaign_report_eur_greek_zero.csv",
            "2026-03-27",
            "2026-04-23",
        ),
    ] {
        let totals = totals_rows(name);
        let (ws, _dir) = workspace().await;
        import_file(&ws, name).await;
        let (from, to) = if from.is_empty() {
            let p: (Option<String>, Option<String>) =
                sqlx::query_as("SELECT min(period_start), max(period_end) FROM ad_metrics")
                    .fetch_one(ws.pool())
                    .await
                    .unwrap();
            (p.0.expect("dated"), p.1.expect("dated"))
        } else {
            (from.to_string(), to.to_string())
        };
        let r = report(&ws, &from, &to, Grouping::Campaign).await;
        assert_eq!(r.blocks.len(), 1, "{name}");
        assert!(r.undated.is_empty(), "{name}");
        let rows = r.blocks[0].rows.len();
        assert_equals_totals_row(&r.blocks[0].totals, &totals[0], rows, name);
        // Weekly grouping cannot split a four-week period: one row, same totals.
        let weekly = report(&ws, &from, &to, Grouping::Week).await;
        assert_equals_totals_row(&weekly.blocks[0].totals, &totals[0], rows, name);
        // A range that cuts the period leaves the rows out and says so.
        let cut = report(&ws, &from, &from, Grouping::Day).await;
        if from != to {
            assert!(cut.blocks.is_empty(), "{name}");
            assert!(cut.warnings[0].contains("only partly inside"), "{name}");
        }
    }
}

/// This report's totals row over its ads ("Total: All but removed ads") states
/// impressions and cost but no clicks (" --"); "Total: Account" includes
/// removed ads the report does not list, so it is only an upper bound.
#[tokio::test]
async fn ad_report_without_a_usable_totals_row_equals_its_listed_ads() {
    let name = "google_ads_ad_report_usd.csv";
    let totals = totals_rows(name);
    let all_ads = totals
        .iter()
        .find(|t| t.campaign.starts_with("Total: All"))
        .expect("the all-ads totals row");
    assert_eq!(all_ads.clicks, None);
    let account = totals
        .iter()
        .find(|t| t.campaign == "Total: Account")
        .unwrap();
    let (ws, _dir) = workspace().await;
    import_file(&ws, name).await;
    let r = report(&ws, "2026-01-20", "2026-01-21", Grouping::Campaign).await;
    assert_eq!(r.blocks.len(), 1);
    let k = &r.blocks[0].totals;
    assert_eq!(k.sums.cost_minor, all_ads.cost.as_ref().map(|c| c.minor));
    assert_eq!(k.sums.cost_minor, Some(11_706));
    assert_eq!(k.sums.impressions, all_ads.impressions);
    assert_eq!(k.sums.impressions, Some(305));
    assert!(k.sums.impressions <= account.impressions);
    assert!(k.sums.cost_minor.unwrap() <= account.cost.as_ref().unwrap().minor);
}

#[tokio::test]
async fn meta_daily_breakdowns_sum_to_the_readme_totals_by_day_and_week() {
    let (ws, _dir) = workspace().await;
    import_file(&ws, "meta_ads_manager_export_dirty_ab_test.csv").await;
    let by_day = report(&ws, "2024-11-28", "2024-12-04", Grouping::Day).await;
    assert_eq!(by_day.blocks.len(), 1);
    let b = &by_day.blocks[0];
    assert_eq!(b.currency, "USD");
    assert_eq!(b.rows.len(), 7);
    // ../shared/data/exports/README.md: spent 268.15 USD, 23,559 impressions.
    assert_eq!(b.totals.sums.cost_minor, Some(26_815));
    assert_eq!(b.totals.sums.impressions, Some(23_559));
    // "Results" here are link clicks: not conversions, and no revenue.
    assert_eq!(b.totals.sums.conversions, None);
    assert_eq!(b.totals.sums.revenue_minor, None);
    assert_eq!(b.totals.roas, None);
    // Reach is not added across a day's breakdown rows (the importer keeps the
    // day's largest), so it stays below the README's row sum of 21,972.
    let stored: i64 = sqlx::query_scalar(
        "SELECT sum(r) FROM (SELECT max(reach) AS r FROM ad_metrics GROUP BY campaign_id, day)",
    )
    .fetch_one(ws.pool())
    .await
    .unwrap();
    assert_eq!(b.totals.sums.reach, Some(stored));
    assert!(stored < 21_972);
    let weekly = report(&ws, "2024-11-28", "2024-12-04", Grouping::Week).await;
    assert_eq!(weekly.blocks[0].rows.len(), 2);
    assert_eq!(weekly.blocks[0].totals, b.totals);
    // No report covers the previous seven days: no earlier figure, so no
    // change is claimed (never "+100% from 0").
    let cost = b.deltas.iter().find(|d| d.kpi == "cost").unwrap();
    assert_eq!(cost.current, Some(26_815.0));
    assert_eq!(cost.previous, None);
    assert_eq!(cost.absolute, None);
    assert_eq!(cost.relative, None);
    // Reach is stated, so ad frequency shows.
    let f = over_messaging(
        &ws,
        &OverMessagingQuery {
            from: "2024-11-28".into(),
            to: "2024-12-04".into(),
            caps: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(f.ad_campaigns.len(), 1);
    assert_eq!(f.ad_campaigns[0].impressions, 23_559);
    let rows: u64 = f.ad_distribution.iter().map(|b| b.rows).sum();
    assert_eq!(rows, 7);
}

#[tokio::test]
async fn currencies_are_never_added_together() {
    let (ws, _dir) = workspace().await;
    for name in [
        "google_ads_campaign_report_gbp_utf8.csv",
        "google_ads_campaign_report_eur_greek_zero.csv",
        "google_ads_ad_report_usd.csv",
    ] {
        import_file(&ws, name).await;
    }
    let r = report(&ws, "2026-01-01", "2026-06-30", Grouping::Channel).await;
    let mut currencies: Vec<&str> = r.blocks.iter().map(|b| b.currency.as_str()).collect();
    currencies.sort();
    assert_eq!(currencies, ["EUR", "GBP", "USD"]);
    assert!(r.mixed_currencies);
    let gbp = r.blocks.iter().find(|b| b.currency == "GBP").unwrap();
    assert_eq!(gbp.totals.sums.cost_minor, Some(116_410));
}

#[tokio::test]
async fn reports_attach_to_wizard_campaigns_by_name_and_by_hand() {
    let (ws, _dir) = workspace().await;
    import_file(&ws, "google_ads_campaign_report_gbp_utf8.csv").await;
    let draft = CampaignDraft {
        name: "office fruit campaign".into(),
        goal: Goal::Retargeting,
        segment_id: None,
        channels: vec![ChannelKey::GoogleAds],
        creative_ids: vec![],
        sequence_id: None,
        messages_per_person: 0,
        budget: None,
        starts_on: None,
        ends_on: None,
        status: CampaignStatus::Draft,
        platform_campaign_id: None,
    };
    let c = create_campaign(&ws, &draft, 1).await.unwrap();
    assert_eq!(c.attached.len(), 1, "{c:?}");
    assert_eq!(c.attached[0].name, "Office Fruit Campaign");
    let q = |id| MetricsQuery {
        from: "2026-01-27".into(),
        to: "2026-02-23".into(),
        by: Grouping::Campaign,
        campaign_id: Some(id),
    };
    let mine = metrics(&ws, &q(c.id)).await.unwrap();
    assert_eq!(mine.blocks[0].totals.sums.cost_minor, Some(36_522));
    let all = report(&ws, "2026-01-27", "2026-02-23", Grouping::Campaign).await;
    let names: Vec<&str> = all.blocks[0]
        .rows
        .iter()
        .map(|r| r.label.as_str())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names.contains(&"office fruit campaign"));
    // By hand: the other report campaign, then detached for good.
    let other = list_campaigns(&ws, 2)
        .await
        .unwrap()
        .into_iter()
        .find(|x| x.name == "Fruit-Veg-Boxes-Shopping-SMP")
        .unwrap();
    let c = attach(&ws, c.id, other.id, 3).await.unwrap();
    assert_eq!(c.attached.len(), 2);
    let mine = metrics(&ws, &q(c.id)).await.unwrap();
    assert_eq!(mine.blocks[0].totals.sums.cost_minor, Some(116_410));
    detach(&ws, other.id, 4).await.unwrap();
    assert_eq!(auto_attach(&ws, 5).await.unwrap(), 0);
    assert_eq!(get_campaign(&ws, c.id).await.unwrap().attached.len(), 1);
    let err = attach(&ws, other.id, c.id, 6).await.unwrap_err();
    assert!(err.to_string().contains("was built here"), "{err}");
}

/// On the REES46 log (1 Oct 2019), the wizard's reach is the segment's as of
/// the end of its own data, not of today, when nobody is left.
#[tokio::test]
async fn the_wizard_reach_follows_the_segment_data() {
    let (ws, _dir) = workspace().await;
    import_file(&ws, "rees46_2019-Oct_head_sample.csv").await;
    let template = rebound_segments::templates()
        .into_iter()
        .find(|t| t.key == "product_viewers_without_purchase")
        .unwrap();
    let now = rebound_core::time::end_of_day(chrono::NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
    let segment = rebound_segments::create_segment(&ws, &template.definition, now)
        .await
        .unwrap();
    let end_of_data =
        rebound_core::time::end_of_day(chrono::NaiveDate::from_ymd_opt(2019, 10, 1).unwrap());
    let expected = rebound_segments::count(&ws, &template.definition, end_of_data)
        .await
        .unwrap();
    assert!(expected.matched > 0);
    let draft = CampaignDraft {
        name: "Viewers".into(),
        goal: Goal::Retargeting,
        segment_id: Some(segment.id),
        channels: vec![ChannelKey::MetaAds],
        creative_ids: vec![],
        sequence_id: None,
        messages_per_person: 1,
        budget: None,
        starts_on: None,
        ends_on: None,
        status: CampaignStatus::Draft,
        platform_campaign_id: None,
    };
    let planned = plan(&ws, &draft, now).await.unwrap();
    let reach = planned.reach.unwrap();
    assert_eq!(reach.as_of, end_of_data);
    assert_eq!(reach.default_as_of, end_of_data);
    assert_eq!(reach.zero, None);
    assert_eq!(reach.channels[0].matched, expected.matched);

    // Cart abandoners are empty at the end of 1 Oct (no cart is 24 hours old
    // yet): the reach says so and is counted at the end of 2 Oct instead,
    // the day Segments offers, with as many people as Segments counts then.
    let carts = rebound_segments::templates()
        .into_iter()
        .find(|t| t.key == "cart_abandoners")
        .unwrap();
    let segment = rebound_segments::create_segment(&ws, &carts.definition, now)
        .await
        .unwrap();
    let next_day =
        rebound_core::time::end_of_day(chrono::NaiveDate::from_ymd_opt(2019, 10, 2).unwrap());
    let then = rebound_segments::count(&ws, &carts.definition, next_day)
        .await
        .unwrap();
    assert_eq!(then.matched, 53);
    let draft = CampaignDraft {
        segment_id: Some(segment.id),
        channels: vec![ChannelKey::MetaAds, ChannelKey::Email],
        ..draft
    };
    let reach = plan(&ws, &draft, now).await.unwrap().reach.unwrap();
    assert_eq!(reach.default_as_of, end_of_data);
    let zero = reach.zero.expect("the empty moment is explained");
    assert_eq!(zero.data.last_day, "2019-10-01");
    assert_eq!(zero.suggestion.as_ref().unwrap().day, "2019-10-02");
    assert_eq!(reach.as_of, next_day);
    for channel in &reach.channels {
        assert_eq!(channel.matched, 53, "{:?}", channel.channel);
    }
}
