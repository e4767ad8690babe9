//! Every real export in `shared/data/exports` parsed with the figures its README states.

use rebound_formats::*;
use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::io::BufReader;
use std::ops::ControlFlow;
use std::path::PathBuf;

fn exports_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/data/exports")
}

fn load(name: &str) -> (ParseSummary, Vec<Record>) {
    let file =
        File::open(exports_dir().join(name)).unwrap_or_else(|e| panic!("cannot open {name}: {e}"));
    let opts = ParseOptions {
        file_name: name.to_string(),
        ..ParseOptions::default()
    };
    let mut records = Vec::new();
    let summary = parse(BufReader::new(file), &opts, |r| {
        records.push(r);
        ControlFlow::Continue(())
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let c = &summary.counts;
    assert_eq!(c.rows_read, c.rows_ok + c.rows_rejected, "{name}");
    (summary, records)
}

fn metrics(records: &[Record]) -> Vec<&CampaignMetrics> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::CampaignMetrics(m) => Some(m),
            _ => None,
        })
        .collect()
}

fn cost_sum(rows: &[&CampaignMetrics]) -> i64 {
    rows.iter()
        .filter_map(|m| m.cost.as_ref())
        .map(|c| c.minor)
        .sum()
}

fn ga4_rows(records: &[Record]) -> Vec<&Ga4Row> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Ga4Row(g) => Some(g),
            _ => None,
        })
        .collect()
}

fn ga4_sum(rows: &[&Ga4Row], column: &str) -> f64 {
    rows.iter()
        .flat_map(|r| r.cells.iter())
        .filter(|c| c.column == column)
        .filter_map(|c| c.number)
        .sum()
}

fn gsc(records: &[Record]) -> Vec<&GscRow> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::GscRow(g) => Some(g),
            _ => None,
        })
        .collect()
}

#[test]
fn every_file_is_detected_and_parsed() {
    let expected: BTreeMap<&str, Format> = [
        ("ab_control_group.csv", Format::AbAggregate),
        ("ab_test_group.csv", Format::AbAggregate),
        ("cookie_cats.csv", Format::AbPerPerson),
        (
            "ga4_exploration_free_form_events_tab3.csv",
            Format::Ga4Exploration,
        ),
        (
            "ga4_exploration_free_form_pages.csv",
            Format::Ga4Exploration,
        ),
        (
            "ga4_report_csv_export_cohort_nth_day.csv",
            Format::Ga4Report,
        ),
        ("ga4_report_events_event_name.csv", Format::Ga4Report),
        (
            "ga4_report_pages_and_screens_awningdepot.csv",
            Format::Ga4Report,
        ),
        (
            "ga4_report_pages_and_screens_buysheds_10col.csv",
            Format::Ga4Report,
        ),
        (
            "ga4_report_pages_and_screens_buysheds_13col.csv",
            Format::Ga4Report,
        ),
        (
            "ga4_report_pages_and_screens_title_1row.csv",
            Format::Ga4Report,
        ),
        ("google_ads_ad_report_usd.csv", Format::GoogleAdsReport),
        (
            "google_ads_campaign_report_alltime_usd.csv",
            Format::GoogleAdsReport,
        ),
        (
            "google_ads_campaign_report_eur_greek_zero.csv",
            Format::GoogleAdsReport,
        ),
        (
            "google_ads_campaign_report_gbp_utf16_tab.csv",
            Format::GoogleAdsReport,
        ),
        (
            "google_ads_campaign_report_gbp_utf8.csv",
            Format::GoogleAdsReport,
        ),
        (
            "google_ads_editor_export_campaigns_utf16.csv",
            Format::GoogleAdsEditor,
        ),
        (
            "google_ads_editor_export_keywords_utf16.csv",
            Format::GoogleAdsEditor,
        ),
        (
            "google_merchant_center_feed_tapgiving.tsv",
            Format::MerchantCenterFeed,
        ),
        (
            "google_merchant_center_feed_tapgiving_v1_subattr_headers.tsv",
            Format::MerchantCenterFeed,
        ),
        (
            "gsc_performance_chart.csv",
            Format::SearchConsolePerformance,
        ),
        (
            "gsc_performance_chart_dentplant.csv",
            Format::SearchConsolePerformance,
        ),
        (
            "gsc_performance_countries.csv",
            Format::SearchConsolePerformance,
        ),
        (
            "gsc_performance_devices.csv",
            Format::SearchConsolePerformance,
        ),
        ("gsc_performance_filters.csv", Format::SearchConsoleFilters),
        (
            "gsc_performance_filters_last3months.csv",
            Format::SearchConsoleFilters,
        ),
        (
            "gsc_performance_pages.csv",
            Format::SearchConsolePerformance,
        ),
        (
            "gsc_performance_queries.csv",
            Format::SearchConsolePerformance,
        ),
        (
            "gsc_performance_queries_greek_utf8.csv",
            Format::SearchConsolePerformance,
        ),
        (
            "gsc_performance_search_appearance.csv",
            Format::SearchConsolePerformance,
        ),
        (
            "meta_ads_campaigns_export_no_data.csv",
            Format::MetaAdsExport,
        ),
        (
            "meta_ads_manager_export_dirty_ab_test.csv",
            Format::MetaAdsExport,
        ),
        (
            "meta_catalog_template_catalog_products.csv",
            Format::MetaCatalog,
        ),
        ("rees46_2019-Oct_head_sample.csv", Format::Rees46Events),
        (
            "shopify_orders_export_devstore_redacted.csv",
            Format::ShopifyOrders,
        ),
    ]
    .into_iter()
    .collect();
    let mut seen = BTreeSet::new();
    for entry in std::fs::read_dir(exports_dir()).expect("the exports folder exists") {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name == "README.md" || name == "PROVENANCE.tsv" {
            continue;
        }
        let want = expected
            .get(name.as_str())
            .unwrap_or_else(|| panic!("no expectation for {name}"));
        let (summary, _) = load(&name);
        assert_eq!(
            summary.format, *want,
            "{name}: {:?}",
            summary.detection.evidence
        );
        assert!(!summary.detection.evidence.is_empty());
        assert!(summary.bytes_read > 0, "{name}");
        seen.insert(name);
    }
    assert_eq!(seen.len(), expected.len());
}

#[test]
fn google_ads_all_time_campaign_report() {
    let (s, records) = load("google_ads_campaign_report_alltime_usd.csv");
    let rows = metrics(&records);
    assert_eq!(rows.len(), 12);
    assert_eq!(cost_sum(&rows), 19_942_115);
    assert!(rows
        .iter()
        .all(|m| m.cost.as_ref().unwrap().currency.as_deref() == Some("USD")));
    assert_eq!(rows.iter().filter_map(|m| m.clicks).sum::<i64>(), 167_739);
    assert_eq!(
        rows.iter().filter_map(|m| m.impressions).sum::<i64>(),
        14_117_313
    );
    let conv: f64 = rows.iter().filter_map(|m| m.conversions).sum();
    assert!((conv - 18_703.32).abs() < 1e-6);
    assert_eq!(rows[1].campaign, "Deck, siding & other_Remarketing_RSL");
    let labels: Vec<&str> = s.meta.totals.iter().map(|t| t.campaign.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Total: Campaigns",
            "Total: Account",
            "Total: Performance Max",
            "Total: Search",
            "Total: Display"
        ]
    );
    assert_eq!(
        s.meta.totals[0].cost.as_ref().unwrap().minor,
        cost_sum(&rows)
    );
    assert_eq!(s.meta.totals[1].cost.as_ref().unwrap().minor, 19_954_759);
    assert_eq!(s.meta.totals[1].impressions, Some(14_122_564));
    assert_eq!(s.meta.period.as_ref().unwrap().label, "All time");
    assert_eq!(s.meta.title.as_deref(), Some("Campaign report"));
    assert_eq!(s.counts.rows_not_data, 3 + 5);
    assert!(s
        .detection
        .evidence
        .iter()
        .any(|e| e.contains("line 3 is a Google Ads header")));
}

#[test]
fn google_ads_ad_report_with_quoted_us_date() {
    let (s, records) = load("google_ads_ad_report_usd.csv");
    let rows = metrics(&records);
    assert_eq!(rows.len(), 15);
    assert_eq!(cost_sum(&rows), 11_706);
    assert_eq!(rows.iter().filter_map(|m| m.impressions).sum::<i64>(), 305);
    assert_eq!(rows[0].campaign, "Bay Area Pressure");
    let p = s.meta.period.unwrap();
    assert_eq!(
        (p.start.as_deref(), p.end.as_deref()),
        (Some("2026-01-20"), Some("2026-01-21"))
    );
    assert_eq!(s.meta.totals.len(), 5);
    assert_eq!(s.meta.totals[1].cost.as_ref().unwrap().minor, 13_389);
}

#[test]
fn google_ads_uk_english_utf8_and_utf16_tab() {
    let (s, records) = load("google_ads_campaign_report_gbp_utf8.csv");
    let rows = metrics(&records);
    assert_eq!(rows.len(), 2);
    assert_eq!(cost_sum(&rows), 116_410);
    assert_eq!(rows.iter().filter_map(|m| m.clicks).sum::<i64>(), 867);
    assert_eq!(
        rows.iter().filter_map(|m| m.impressions).sum::<i64>(),
        40_585
    );
    assert_eq!(
        rows[0].conversion_value.as_ref().unwrap(),
        &Money {
            minor: 128_658,
            currency: Some("GBP".into())
        }
    );
    assert!(rows[0]
        .other
        .iter()
        .any(|(k, v)| k == "Optimisation score" && v == "57.35"));
    let p = s.meta.period.unwrap();
    assert_eq!(
        (p.start.as_deref(), p.end.as_deref()),
        (Some("2026-01-27"), Some("2026-02-23"))
    );
    assert_eq!(s.meta.totals.len(), 5);

    let (s, records) = load("google_ads_campaign_report_gbp_utf16_tab.csv");
    assert_eq!(s.detection.encoding, "UTF-16LE with BOM");
    assert_eq!(s.detection.delimiter, "\t");
    let rows = metrics(&records);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].campaign, "Office Fruit Campaign");
    assert_eq!(rows[0].impressions, Some(9_380));
    assert_eq!(
        rows[0].cost.as_ref().unwrap(),
        &Money {
            minor: 36_522,
            currency: Some("GBP".into())
        }
    );
    let share = rows[0].search_impression_share.unwrap();
    assert_eq!(share.bound, Bound::LessThan);
    assert_eq!(share.fraction, 0.1);
    assert_eq!(rows[0].ctr.unwrap().fraction, 0.0281);
    let labels: Vec<&str> = s.meta.totals.iter().map(|t| t.campaign.as_str()).collect();
    assert_eq!(labels, ["Total: Campaigns", "Total: Campaign"]);
}

#[test]
fn google_ads_greek_euro_zero_report() {
    let (s, records) = load("google_ads_campaign_report_eur_greek_zero.csv");
    let rows = metrics(&records);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2].campaign, "Οδοντικά Εμφυτεύματα Αθήνα");
    assert_eq!(
        rows[2].cost.as_ref().unwrap(),
        &Money {
            minor: 0,
            currency: Some("EUR".into())
        }
    );
    assert_eq!(rows[2].campaign_type.as_deref(), Some("Smart"));
    assert_eq!(s.meta.totals.len(), 3);
    assert_eq!(s.meta.period.unwrap().start.as_deref(), Some("2026-03-27"));
}

#[test]
fn google_ads_editor_exports() {
    let (s, records) = load("google_ads_editor_export_campaigns_utf16.csv");
    assert_eq!(s.counts.rows_ok, 15);
    assert_eq!(s.meta.header.len(), 52);
    let Record::EditorEntity(first) = &records[0] else {
        panic!("not an editor row")
    };
    assert_eq!(first.entity, "campaign");
    assert_eq!(first.budget.as_ref().unwrap().minor, 500);
    let networks = &first
        .attributes
        .iter()
        .find(|(k, _)| k == "Networks")
        .unwrap()
        .1;
    assert_eq!(
        networks,
        &["Google search", "Search Partners", "Display Network"]
    );
    assert!(first
        .attributes
        .iter()
        .all(|(_, v)| v.iter().all(|x| x != "[]")));
    let Record::EditorEntity(second) = &records[1] else {
        panic!("not an editor row")
    };
    assert_eq!(second.campaign, "Deck, siding & other_Mobile_RSL");

    let (s, records) = load("google_ads_editor_export_keywords_utf16.csv");
    assert_eq!(s.counts.rows_ok, 3_126);
    assert_eq!(s.counts.rows_rejected, 0);
    let Record::EditorEntity(k) = &records[0] else {
        panic!("not an editor row")
    };
    assert_eq!(
        (k.entity.as_str(), k.keyword.as_deref()),
        ("keyword", Some("power washing"))
    );
    assert!(
        !k.attributes
            .iter()
            .any(|(name, _)| name == "Landing page experience"),
        "' -' is a placeholder"
    );
}

#[test]
fn meta_ads_manager_export() {
    let (s, records) = load("meta_ads_manager_export_dirty_ab_test.csv");
    let rows = metrics(&records);
    assert_eq!(rows.len(), 637);
    assert_eq!(s.meta.currency.as_deref(), Some("USD"));
    assert_eq!(cost_sum(&rows), 26_815);
    assert_eq!(
        rows.iter().filter_map(|m| m.impressions).sum::<i64>(),
        23_559
    );
    assert_eq!(rows.iter().filter_map(|m| m.reach).sum::<i64>(), 21_972);
    assert_eq!(rows.iter().filter_map(|m| m.clicks).sum::<i64>(), 949);
    // Its results are link clicks: not conversions, and no revenue is stated.
    assert!(rows.iter().all(|m| m.conversions.is_none()));
    assert!(rows.iter().all(|m| m.conversion_value.is_none()));
    assert!(rows
        .iter()
        .all(|m| m.campaign_type.as_deref() == Some("Traffic")));
    let lpv: i64 = rows
        .iter()
        .filter_map(|m| m.other.iter().find(|(k, _)| k == "Landing page views"))
        .map(|(_, v)| v.parse::<i64>().unwrap())
        .sum();
    assert_eq!(lpv, 842);
    let campaigns: BTreeSet<&str> = rows.iter().map(|m| m.campaign.as_str()).collect();
    assert_eq!(campaigns.len(), 1);
    let ad_sets: BTreeSet<&str> = rows.iter().filter_map(|m| m.ad_group.as_deref()).collect();
    assert_eq!(ad_sets.len(), 4);
    let p = s.meta.period.unwrap();
    assert_eq!(
        (p.start.as_deref(), p.end.as_deref()),
        (Some("2024-11-28"), Some("2024-12-04"))
    );
    assert_eq!(rows[0].age.as_deref(), Some("65+"));
    assert!(rows.iter().any(|m| m.gender.as_deref() == Some("unknown")));
    // `Objective` appears twice in the header; its value is kept once.
    assert_eq!(
        rows[0]
            .other
            .iter()
            .filter(|(k, _)| k == "Objective")
            .count(),
        1
    );
    assert_eq!(s.meta.header[0], "Campaign name", "the BOM is removed");

    let (s, records) = load("meta_ads_campaigns_export_no_data.csv");
    assert!(records.is_empty());
    assert_eq!(s.counts.rows_read, 0);
    assert_eq!(s.meta.note.as_deref(), Some("No data available."));
    assert_eq!(s.meta.header.len(), 14);
}

#[test]
fn ga4_standard_reports() {
    let (s, records) = load("ga4_report_events_event_name.csv");
    let rows = ga4_rows(&records);
    assert_eq!(rows.len(), 21);
    assert_eq!(ga4_sum(&rows, "Event count"), 137_560.0);
    assert_eq!(s.meta.title.as_deref(), Some("Events: Event name"));
    assert_eq!(s.meta.property.as_deref(), Some("Ten10 GA4"));
    let p = s.meta.period.unwrap();
    assert_eq!(
        (p.start.as_deref(), p.end.as_deref()),
        (Some("2025-10-15"), Some("2026-01-12"))
    );

    let (_, records) = load("ga4_report_pages_and_screens_awningdepot.csv");
    assert_eq!(ga4_rows(&records).len(), 16);
    let (s, records) = load("ga4_report_pages_and_screens_buysheds_10col.csv");
    assert_eq!(ga4_rows(&records).len(), 684);
    assert_eq!(s.meta.header.len(), 10);
    let (s, records) = load("ga4_report_pages_and_screens_buysheds_13col.csv");
    let rows = ga4_rows(&records);
    assert_eq!(rows.len(), 684);
    assert_eq!(s.meta.header.len(), 13);
    assert_eq!(ga4_sum(&rows, "Views"), 145_074.0);
    let (s, records) = load("ga4_report_pages_and_screens_title_1row.csv");
    let rows = ga4_rows(&records);
    assert_eq!(rows.len(), 1);
    assert_eq!(s.meta.header[0], "Page title and screen class");
    assert!(rows[0].cells[0].text.contains(" - https://"));
}

#[test]
fn ga4_multi_section_report_csv_export() {
    let (s, records) = load("ga4_report_csv_export_cohort_nth_day.csv");
    let sections = &s.meta.sections;
    assert_eq!(sections.len(), 18);
    assert_eq!(ga4_rows(&records).len(), 3_504);
    assert_eq!(sections[0].header, ["Nth day", "Users"]);
    assert_eq!(sections[0].rows, 544);
    assert_eq!(
        sections[2].heading.as_deref(),
        Some("How much revenue are you generating?")
    );
    assert_eq!(sections[2].rows, 0, "a section with a header and no rows");
    assert_eq!(sections[15].header, ["Cohort", "Day 1", "Day 7", "Day 30"]);
    assert_eq!(sections[16].header, ["Country ID", "Users"]);
    assert_eq!(sections[16].rows, 233);
    assert_eq!(sections[5].period.start.as_deref(), Some("2022-11-26"));
    assert_eq!(s.meta.title.as_deref(), Some("Report CSV Export"));
    let first = ga4_rows(&records)[0];
    assert_eq!(first.cells[0].text, "0000");
    assert_eq!(
        first.cells[0].number, None,
        "zero-padded Nth day stays text"
    );
}

#[test]
fn ga4_explorations_with_grand_total() {
    let (s, records) = load("ga4_exploration_free_form_pages.csv");
    assert_eq!(ga4_rows(&records).len(), 1_874);
    let sec = &s.meta.sections[0];
    assert_eq!(sec.grand_total[1], "13789");
    assert_eq!(
        s.meta.title.as_deref(),
        Some("Untitled exploration-Free form 1")
    );
    assert_eq!(s.meta.property.as_deref(), Some("Ten10 GA4"));
    let p = s.meta.period.unwrap();
    assert_eq!(
        (p.start.as_deref(), p.end.as_deref()),
        (Some("2024-11-22"), Some("2026-01-20"))
    );

    let (s, records) = load("ga4_exploration_free_form_events_tab3.csv");
    assert_eq!(ga4_rows(&records).len(), 342);
    assert_eq!(s.meta.sections[0].grand_total, ["", "4311"]);
    assert_eq!(s.counts.rows_rejected, 0);
}

#[test]
fn search_console_exports() {
    // The two DanielTheC exports each sum to their own totals; they are not one set.
    for (file, rows, clicks, impr) in [
        ("gsc_performance_chart.csv", 365, 100_599, 9_541_487),
        ("gsc_performance_pages.csv", 841, 100_599, 9_541_487),
        ("gsc_performance_devices.csv", 3, 32_288, 4_090_909),
        ("gsc_performance_countries.csv", 234, 32_288, 4_090_909),
    ] {
        let (_, records) = load(file);
        let g = gsc(&records);
        assert_eq!(g.len(), rows, "{file}");
        assert_eq!(g.iter().map(|r| r.clicks).sum::<i64>(), clicks, "{file}");
        assert_eq!(g.iter().map(|r| r.impressions).sum::<i64>(), impr, "{file}");
    }
    let (_, chart) = load("gsc_performance_chart.csv");
    let chart = gsc(&chart);
    assert_eq!(chart[0].ctr, Some(0.012));
    assert_eq!(chart[0].position, Some(32.0));
    assert_eq!(chart[0].dimension, GscDimension::Date);

    let (_, q) = load("gsc_performance_queries.csv");
    let q = gsc(&q);
    assert_eq!(q.len(), 1_000);
    assert_eq!(q.iter().map(|r| r.clicks).sum::<i64>(), 20_443);
    assert_eq!(q[0].dimension, GscDimension::Query);

    let (_, sa) = load("gsc_performance_search_appearance.csv");
    assert_eq!(gsc(&sa).len(), 2);
    let (_, dent) = load("gsc_performance_chart_dentplant.csv");
    assert_eq!(gsc(&dent).len(), 49);

    let (s, greek) = load("gsc_performance_queries_greek_utf8.csv");
    let greek = gsc(&greek);
    assert_eq!(greek.len(), 56);
    assert_eq!(s.counts.rows_read, 56);
    assert_eq!(greek[0].key, "μοσχοπουλος οδοντιατρος");
    assert_eq!(greek.iter().filter(|r| r.key.contains('\n')).count(), 1);
    assert_eq!(greek[3].ctr, Some(1.0));

    let (s, filters) = load("gsc_performance_filters.csv");
    assert_eq!(filters.len(), 3);
    let p = s.meta.period.unwrap();
    assert_eq!(
        (p.start.as_deref(), p.end.as_deref()),
        (Some("2025-01-01"), Some("2025-12-31"))
    );
    let (s, _) = load("gsc_performance_filters_last3months.csv");
    let p = s.meta.period.unwrap();
    assert_eq!((p.label.as_str(), p.start), ("Last 3 months", None));
}

#[test]
fn shopify_orders() {
    let (s, records) = load("shopify_orders_export_devstore_redacted.csv");
    let orders: Vec<&Order> = records
        .iter()
        .filter_map(|r| match r {
            Record::Order(o) => Some(o),
            _ => None,
        })
        .collect();
    assert_eq!(orders.len(), 51);
    assert_eq!(s.counts.rows_ok, 121);
    assert_eq!(s.counts.rows_rejected, 0);
    assert_eq!(
        orders.iter().map(|o| o.line_items.len()).sum::<usize>(),
        121
    );
    let total: i64 = orders.iter().map(|o| o.total.as_ref().unwrap().minor).sum();
    assert_eq!(total, 59_068_329);
    let items: i64 = orders
        .iter()
        .flat_map(|o| o.line_items.iter())
        .map(|li| li.quantity * li.price.as_ref().unwrap().minor)
        .sum();
    assert_eq!(items, 58_594_200);
    assert_eq!(orders[0].name, "#1051");
    assert_eq!(orders[0].currency.as_deref(), Some("INR"));
    assert_eq!(orders[0].created_at_offset_seconds, Some(-18_000));
    assert_eq!(orders[0].created_at_micros, Some(1_765_035_453_000_000));
    assert_eq!(orders[1].line_items.len(), 4);
    assert!(orders.iter().flat_map(|o| &o.line_items).all(|li| li
        .price
        .as_ref()
        .unwrap()
        .currency
        .as_deref()
        == Some("INR")));
    let names: BTreeSet<&str> = orders.iter().map(|o| o.name.as_str()).collect();
    assert!(names.contains("#1001") && names.contains("#1051"));
}

fn products(records: &[Record]) -> Vec<&Product> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Product(p) => Some(p),
            _ => None,
        })
        .collect()
}

#[test]
fn product_feeds() {
    let (_, records) = load("google_merchant_center_feed_tapgiving.tsv");
    let p = products(&records);
    assert_eq!(p.len(), 3);
    assert_eq!(p[0].id, "TG-PLATE-100");
    assert_eq!(
        p[0].price,
        Some(Money {
            minor: 450,
            currency: Some("USD".into())
        })
    );
    assert_eq!(
        p.iter()
            .map(|x| x.price.as_ref().unwrap().minor)
            .sum::<i64>(),
        1_200
    );
    assert_eq!(p[0].availability, Some(Availability::InStock));
    let ship = &p[0].sub_attributes[0];
    assert_eq!(ship.attribute, "shipping");
    assert_eq!(ship.parts[2], ("price".to_string(), "0 USD".to_string()));

    let (_, records) = load("google_merchant_center_feed_tapgiving_v1_subattr_headers.tsv");
    let p = products(&records);
    assert_eq!(p.len(), 3);
    let ship = p[0]
        .sub_attributes
        .iter()
        .find(|a| a.attribute == "shipping")
        .unwrap();
    assert_eq!(
        ship.parts,
        [
            ("country".to_string(), "US".to_string()),
            ("price".to_string(), String::new())
        ]
    );
    let detail = p[0]
        .sub_attributes
        .iter()
        .find(|a| a.attribute == "product_detail")
        .unwrap();
    assert_eq!(
        detail.parts[0],
        ("section_name".to_string(), "Material".to_string())
    );
    assert_eq!(p[2].sale_price, None);

    let (s, records) = load("meta_catalog_template_catalog_products.csv");
    let p = products(&records);
    assert_eq!(p.len(), 1);
    assert_eq!(s.counts.rows_not_data, 2, "description row and header");
    assert_eq!(p[0].id, "0");
    assert_eq!(
        p[0].title.as_deref(),
        Some("Blue Facebook T-Shirt (Unisex)")
    );
    assert_eq!(
        p[0].price,
        Some(Money {
            minor: 1_000,
            currency: Some("USD".into())
        })
    );
    assert_eq!(p[0].availability, Some(Availability::InStock));
    assert!(p[0].other.iter().any(|(k, _)| k == "video[0].url"));
}

#[test]
fn rees46_events_with_truncated_last_row() {
    let (s, records) = load("rees46_2019-Oct_head_sample.csv");
    assert_eq!(s.counts.rows_read, 17_435);
    assert_eq!(s.counts.rows_ok, 17_434);
    assert_eq!(s.counts.rows_rejected, 1);
    let r = &s.rejections[0];
    assert_eq!(r.line, 17_436);
    assert_eq!(r.column.as_deref(), Some("user_session"));
    assert_eq!(r.value, "52040330");
    assert!(r.reason.contains("cut short"), "{}", r.reason);
    assert!(r
        .message("rees46.csv")
        .starts_with("cannot read line 17436 of rees46.csv: column user_session:"));
    let events: Vec<&Event> = records
        .iter()
        .filter_map(|r| match r {
            Record::Event(e) => Some(e),
            _ => None,
        })
        .collect();
    let count = |n: &str| events.iter().filter(|e| e.event_name == n).count();
    assert_eq!(
        (count("view_item"), count("purchase"), count("add_to_cart")),
        (17_055, 214, 165)
    );
    assert_eq!(
        events
            .iter()
            .filter_map(|e| e.user_id.as_deref())
            .collect::<BTreeSet<_>>()
            .len(),
        4_504
    );
    assert_eq!(
        events
            .iter()
            .filter_map(|e| e.session_id.as_deref())
            .collect::<BTreeSet<_>>()
            .len(),
        5_066
    );
    assert_eq!(events.iter().filter(|e| e.brand.is_none()).count(), 2_477);
    assert_eq!(
        events.iter().filter(|e| e.category_code.is_none()).count(),
        5_746
    );
    assert_eq!(
        events[1].category_id.as_deref(),
        Some("2053013552326770905")
    );
    assert_eq!(
        events[1].price,
        Some(Money {
            minor: 3_320,
            currency: None
        })
    );
    assert_eq!(events[0].timestamp_micros, 1_569_888_000_000_000);
    assert_eq!(
        events.last().unwrap().timestamp_micros,
        1_569_888_000_000_000 + (2 * 3600 + 50 * 60) * 1_000_000
    );
}

#[test]
fn cookie_cats_per_person() {
    let (s, records) = load("cookie_cats.csv");
    assert_eq!(s.counts.rows_ok, 90_189);
    let mut by: BTreeMap<String, (u64, f64, f64, f64, f64)> = BTreeMap::new();
    for r in &records {
        let Record::AbPerson(p) = r else {
            panic!("not an A/B row")
        };
        let m = |k: &str| p.metrics.iter().find(|(n, _)| n == k).unwrap().1;
        let e = by.entry(p.variant.clone()).or_default();
        e.0 += 1;
        e.1 += m("retention_1");
        e.2 += m("retention_7");
        e.3 += m("sum_gamerounds");
        e.4 = e.4.max(m("sum_gamerounds"));
    }
    let g30 = by["gate_30"];
    let g40 = by["gate_40"];
    assert_eq!((g30.0, g40.0), (44_700, 45_489));
    assert_eq!((g30.3, g40.3), (2_344_795.0, 2_333_530.0));
    assert_eq!((g30.4, g40.4), (49_854.0, 2_640.0));
    assert!((g30.1 / g30.0 as f64 - 0.448188).abs() < 1e-6);
    assert!((g40.2 / g40.0 as f64 - 0.182000).abs() < 1e-6);
}

#[test]
fn ab_aggregate_campaign_files() {
    for (file, sums) in [
        (
            "ab_control_group.csv",
            [
                68_653, 3_177_233, 2_576_503, 154_303, 64_418, 56_370, 37_700, 15_161,
            ],
        ),
        (
            "ab_test_group.csv",
            [
                76_892, 2_237_544, 1_604_747, 180_970, 72_569, 55_740, 26_446, 15_637,
            ],
        ),
    ] {
        let (s, records) = load(file);
        assert_eq!(s.counts.rows_ok, 30, "{file}");
        let rows: Vec<&AbAggregate> = records
            .iter()
            .filter_map(|r| match r {
                Record::AbAggregate(a) => Some(a),
                _ => None,
            })
            .collect();
        let spend: i64 = rows
            .iter()
            .filter_map(|r| r.spend.as_ref())
            .map(|m| m.minor)
            .sum();
        assert_eq!(spend, sums[0] * 100, "{file}");
        assert_eq!(
            rows[0].spend.as_ref().unwrap().currency.as_deref(),
            Some("USD")
        );
        let names = [
            "impressions",
            "reach",
            "website clicks",
            "searches",
            "view content",
            "add to cart",
            "purchase",
        ];
        for (name, want) in names.iter().zip(&sums[1..]) {
            let got: i64 = rows
                .iter()
                .flat_map(|r| r.metrics.iter())
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v)
                .sum();
            assert_eq!(got, *want, "{file} {name}");
        }
        assert_eq!(rows[0].date.as_deref(), Some("2019-08-01"));
    }
    let (_, records) = load("ab_control_group.csv");
    let Record::AbAggregate(empty) = &records[4] else {
        panic!("not an aggregate")
    };
    assert_eq!(empty.date.as_deref(), Some("2019-08-05"));
    assert!(empty.metrics.is_empty() && empty.spend.is_some());
}
