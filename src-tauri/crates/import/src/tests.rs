use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::*;
use rebound_core::store::Workspace;
use rebound_core::ErrorCode;

fn exports() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/data/exports")
}

async fn fresh() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::create(&dir.path().join("t.rebound"))
        .await
        .unwrap();
    (dir, ws)
}

fn request(path: &Path) -> ImportRequest {
    ImportRequest {
        path: path.display().to_string(),
        ..ImportRequest::default()
    }
}

async fn import(ws: &Workspace, name: &str) -> ImportOutcome {
    run(
        ws,
        &request(&exports().join(name)),
        &|_| {},
        &CancelToken::new(),
    )
    .await
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

async fn scalar(ws: &Workspace, sql: &str) -> i64 {
    sqlx::query_scalar(sql)
        .fetch_one(ws.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn counts(ws: &Workspace) -> BTreeMap<String, i64> {
    let mut all = BTreeMap::new();
    for table in rebound_core::store::TABLES {
        all.insert(table.to_string(), ws.count(table).await.unwrap());
    }
    all
}

/// The import path writes with foreign keys checked; this proves it.
async fn assert_integrity(ws: &Workspace) {
    let problems: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
        .fetch_all(ws.pool())
        .await
        .unwrap();
    assert!(problems.is_empty(), "{problems:?}");
}

fn stored(o: &ImportOutcome) -> BTreeMap<String, u64> {
    o.import
        .stored
        .iter()
        .map(|s| (s.what.clone(), s.count))
        .collect()
}

/// Every file in ../shared/data/exports, with what it must import as.
#[tokio::test]
async fn every_export_file_imports_with_the_expected_rows() {
    // (file, format, rows read, imported, rejected, [stored counts])
    type Expect = (
        &'static str,
        Format,
        u64,
        u64,
        u64,
        &'static [(&'static str, u64)],
    );
    let expected: &[Expect] = &[
        (
            "ab_control_group.csv",
            Format::AbAggregate,
            30,
            30,
            0,
            &[("experiments", 1), ("report rows", 30)],
        ),
        (
            "ab_test_group.csv",
            Format::AbAggregate,
            30,
            30,
            0,
            &[("experiments", 1), ("report rows", 30)],
        ),
        (
            "cookie_cats.csv",
            Format::AbPerPerson,
            90_189,
            90_189,
            0,
            &[("experiments", 1), ("exposures", 90_189)],
        ),
        (
            "ga4_exploration_free_form_events_tab3.csv",
            Format::Ga4Exploration,
            342,
            342,
            0,
            &[("report rows", 342)],
        ),
        (
            "ga4_exploration_free_form_pages.csv",
            Format::Ga4Exploration,
            1874,
            1874,
            0,
            &[("report rows", 1874)],
        ),
        (
            "ga4_report_csv_export_cohort_nth_day.csv",
            Format::Ga4Report,
            3504,
            3504,
            0,
            &[("report rows", 3504)],
        ),
        (
            "ga4_report_events_event_name.csv",
            Format::Ga4Report,
            21,
            21,
            0,
            &[("report rows", 21)],
        ),
        (
            "ga4_report_pages_and_screens_awningdepot.csv",
            Format::Ga4Report,
            16,
            16,
            0,
            &[("report rows", 16)],
        ),
        (
            "ga4_report_pages_and_screens_buysheds_10col.csv",
            Format::Ga4Report,
            684,
            684,
            0,
            &[("report rows", 684)],
        ),
        (
            "ga4_report_pages_and_screens_buysheds_13col.csv",
            Format::Ga4Report,
            684,
            684,
            0,
            &[("report rows", 684)],
        ),
        (
            "ga4_report_pages_and_screens_title_1row.csv",
            Format::Ga4Report,
            1,
            1,
            0,
            &[("report rows", 1)],
        ),
        (
            "google_ads_ad_report_usd.csv",
            Format::GoogleAdsReport,
            15,
            15,
            0,
            &[("ad report rows", 15), ("campaigns", 5)],
        ),
        (
            "google_ads_campaign_report_alltime_usd.csv",
            Format::GoogleAdsReport,
            12,
            12,
            0,
            &[("ad report rows", 12), ("campaigns", 12)],
        ),
        (
            "google_ads_campaign_report_eur_greek_zero.csv",
            Format::GoogleAdsReport,
            3,
            3,
            0,
            &[("ad report rows", 3), ("campaigns", 3)],
        ),
        (
            "google_ads_campaign_report_gbp_utf16_tab.csv",
            Format::GoogleAdsReport,
            1,
            1,
            0,
            &[("ad report rows", 1), ("campaigns", 1)],
        ),
        (
            "google_ads_campaign_report_gbp_utf8.csv",
            Format::GoogleAdsReport,
            2,
            2,
            0,
            &[("ad report rows", 2), ("campaigns", 2)],
        ),
        (
            "google_ads_editor_export_campaigns_utf16.csv",
            Format::GoogleAdsEditor,
            15,
            15,
            0,
            &[("campaigns", 15), ("report rows", 15)],
        ),
        (
            "google_ads_editor_export_keywords_utf16.csv",
            Format::GoogleAdsEditor,
            3126,
            3126,
            0,
            &[("report rows", 3126)],
        ),
        (
            "google_merchant_center_feed_tapgiving.tsv",
            Format::MerchantCenterFeed,
            3,
            3,
            0,
            &[("products", 3)],
        ),
        (
            "google_merchant_center_feed_tapgiving_v1_subattr_headers.tsv",
            Format::MerchantCenterFeed,
            3,
            3,
            0,
            &[("products", 3)],
        ),
        (
            "gsc_performance_chart.csv",
            Format::SearchConsolePerformance,
            365,
            365,
            0,
            &[("report rows", 365)],
        ),
        (
            "gsc_performance_chart_dentplant.csv",
            Format::SearchConsolePerformance,
            49,
            49,
            0,
            &[("report rows", 49)],
        ),
        (
            "gsc_performance_countries.csv",
            Format::SearchConsolePerformance,
            234,
            234,
            0,
            &[("report rows", 234)],
        ),
        (
            "gsc_performance_devices.csv",
            Format::SearchConsolePerformance,
            3,
            3,
            0,
            &[("report rows", 3)],
        ),
        (
            "gsc_performance_filters.csv",
            Format::SearchConsoleFilters,
            3,
            3,
            0,
            &[("report rows", 3)],
        ),
        (
            "gsc_performance_filters_last3months.csv",
            Format::SearchConsoleFilters,
            2,
            2,
            0,
            &[("report rows", 2)],
        ),
        (
            "gsc_performance_pages.csv",
            Format::SearchConsolePerformance,
            841,
            841,
            0,
            &[("report rows", 841)],
        ),
        (
            "gsc_performance_queries.csv",
            Format::SearchConsolePerformance,
            1000,
            1000,
            0,
            &[("report rows", 1000)],
        ),
        (
            "gsc_performance_queries_greek_utf8.csv",
            Format::SearchConsolePerformance,
            56,
            56,
            0,
            &[("report rows", 56)],
        ),
        (
            "gsc_performance_search_appearance.csv",
            Format::SearchConsolePerformance,
            2,
            2,
            0,
            &[("report rows", 2)],
        ),
        (
            "meta_ads_campaigns_export_no_data.csv",
            Format::MetaAdsExport,
            0,
            0,
            0,
            &[],
        ),
        (
            "meta_ads_manager_export_dirty_ab_test.csv",
            Format::MetaAdsExport,
            637,
            637,
            0,
            &[("ad report rows", 637), ("campaigns", 1)],
        ),
        (
            "meta_catalog_template_catalog_products.csv",
            Format::MetaCatalog,
            1,
            1,
            0,
            &[("products", 1)],
        ),
        (
            "rees46_2019-Oct_head_sample.csv",
            Format::Rees46Events,
            17_435,
            17_434,
            1,
            &[
                ("events", 17_434),
                ("identities", 4504),
                ("people", 4504),
                ("products", 6493),
            ],
        ),
        (
            "shopify_orders_export_devstore_redacted.csv",
            Format::ShopifyOrders,
            121,
            121,
            0,
            &[
                ("consent", 51),
                ("events", 121),
                ("identities", 3),
                ("orders", 51),
                ("people", 3),
                ("products", 5),
            ],
        ),
    ];
    let mut on_disk: Vec<String> = std::fs::read_dir(exports())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "README.md" && n != "PROVENANCE.tsv")
        .collect();
    on_disk.sort();
    let listed: Vec<String> = expected.iter().map(|e| e.0.to_string()).collect();
    assert_eq!(on_disk, listed, "every export file is listed here");

    for (name, format, read, imported, rejected, want) in expected {
        let (_dir, ws) = fresh().await;
        let o = import(&ws, name).await;
        let i = &o.import;
        assert_eq!(i.format, *format, "{name}");
        assert_eq!(
            (i.rows_read, i.rows_imported, i.rows_rejected),
            (*read, *imported, *rejected),
            "{name}"
        );
        assert_eq!(i.rows_read, i.rows_imported + i.rows_rejected, "{name}");
        let want: BTreeMap<String, u64> = want.iter().map(|(k, v)| (k.to_string(), *v)).collect();
        assert_eq!(stored(&o), want, "{name}");
        assert_eq!(
            scalar(
                &ws,
                "SELECT count(*) FROM imports WHERE status = 'complete'"
            )
            .await,
            1
        );
        assert_eq!(
            scalar(&ws, "SELECT count(*) FROM import_rejections").await as u64,
            *rejected,
            "{name}: every rejection is listed"
        );
        assert_integrity(&ws).await;
        ws.close().await;
    }
}

#[tokio::test]
async fn google_ads_all_time_report_keeps_money_exact_and_leaves_totals_out() {
    let (_dir, ws) = fresh().await;
    let o = import(&ws, "google_ads_campaign_report_alltime_usd.csv").await;
    assert_eq!(o.import.format, Format::GoogleAdsReport);
    assert_eq!(
        scalar(
            &ws,
            "SELECT count(*) FROM campaigns WHERE channel = 'google_ads'"
        )
        .await,
        12
    );
    assert_eq!(
        scalar(&ws, "SELECT sum(cost_minor) FROM ad_metrics").await,
        19_942_115
    );
    assert_eq!(
        scalar(&ws, "SELECT sum(clicks) FROM ad_metrics").await,
        167_739
    );
    assert_eq!(
        scalar(
            &ws,
            "SELECT count(*) FROM ad_metrics WHERE currency <> 'USD'"
        )
        .await,
        0
    );
    // Title, date and totals rows are read but not data.
    assert!(o.import.rows_not_data >= 3, "{}", o.import.rows_not_data);
    assert_eq!(
        scalar(
            &ws,
            "SELECT count(*) FROM campaigns WHERE name LIKE 'Total%'"
        )
        .await,
        0
    );
}

#[tokio::test]
async fn rees46_ids_stay_exact_and_the_cut_row_is_rejected_with_its_place() {
    let (_dir, ws) = fresh().await;
    let o = import(&ws, "rees46_2019-Oct_head_sample.csv").await;
    let r = &o.rejections[0];
    assert_eq!(r.line, 17_436);
    assert_eq!(r.column.as_deref(), Some("user_session"));
    assert!(r.reason.contains("cut short"), "{}", r.reason);
    // A 19-digit category id survives to the byte.
    let category: String =
        sqlx::query_scalar("SELECT category FROM products WHERE external_id = '44600062'")
            .fetch_one(ws.pool())
            .await
            .unwrap();
    assert_eq!(category, "2103807459595387724");
    // Times are UTC microseconds: 2019-10-01 00:00:00 UTC.
    assert_eq!(
        scalar(&ws, "SELECT min(ts) FROM events").await,
        1_569_888_000_000_000
    );
    // Prices keep their currency.
    assert_eq!(
        scalar(
            &ws,
            "SELECT count(*) FROM events WHERE value_minor IS NOT NULL AND currency IS NULL"
        )
        .await,
        0
    );
    // People are stitched by their user id: one person per REES46 user.
    assert_eq!(
        scalar(&ws, "SELECT count(DISTINCT person_id) FROM events").await,
        scalar(
            &ws,
            "SELECT count(*) FROM identities WHERE kind = 'user_id'"
        )
        .await
    );
    assert_eq!(
        scalar(&ws, "SELECT count(*) FROM people WHERE first_seen_at IS NULL OR last_seen_at < first_seen_at").await,
        0
    );
    let page = rejections(&ws, o.import.id, 0, 10).await.unwrap();
    assert_eq!((page.total, page.listed, page.rows.len()), (1, 1, 1));
}

#[tokio::test]
async fn the_same_file_is_recognised_and_not_doubled() {
    let (_dir, ws) = fresh().await;
    let first = import(&ws, "shopify_orders_export_devstore_redacted.csv").await;
    assert!(!first.already_imported);
    let before = counts(&ws).await;
    let again = import(&ws, "shopify_orders_export_devstore_redacted.csv").await;
    assert!(again.already_imported);
    assert_eq!(again.import.id, first.import.id);
    assert_eq!(counts(&ws).await, before);
    let inspection = inspect(
        &ws,
        &exports().join("shopify_orders_export_devstore_redacted.csv"),
    )
    .await
    .unwrap();
    assert_eq!(
        inspection.already_imported.map(|r| r.id),
        Some(first.import.id)
    );
}

#[tokio::test]
async fn undo_removes_a_whole_import_and_the_file_can_come_back() {
    let (_dir, ws) = fresh().await;
    let empty = counts(&ws).await;
    let o = import(&ws, "rees46_2019-Oct_head_sample.csv").await;
    assert!(ws.count("events").await.unwrap() > 0);
    let undone = undo(&ws, o.import.id).await.unwrap();
    assert_eq!(undone.status, ImportStatus::Undone);
    let after = counts(&ws).await;
    for (table, n) in &after {
        if table != "imports" && table != "import_rejections" {
            assert_eq!(*n, empty[table], "{table} after undo");
        }
    }
    assert_integrity(&ws).await;
    let err = undo(&ws, o.import.id).await.unwrap_err();
    assert!(err.to_string().contains("already undone"), "{err}");
    // Importing the same bytes again works and reuses the history row.
    let again = import(&ws, "rees46_2019-Oct_head_sample.csv").await;
    assert!(!again.already_imported);
    assert_eq!(again.import.id, o.import.id);
    assert_eq!(again.import.status, ImportStatus::Complete);
    assert_eq!(ws.count("events").await.unwrap(), 17_434);
    assert_eq!(list(&ws).await.unwrap().len(), 1);
}

#[tokio::test]
async fn undo_keeps_people_and_campaigns_that_later_imports_use() {
    let (dir, ws) = fresh().await;
    let a = dir.path().join("a.csv");
    let b = dir.path().join("b.csv");
    let header = "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n";
    std::fs::write(
        &a,
        format!("{header}2019-10-01 00:00:00 UTC,view,1,2,,acme,1.00,42,s1\n"),
    )
    .unwrap();
    std::fs::write(
        &b,
        format!("{header}2019-10-02 00:00:00 UTC,purchase,1,2,,acme,1.00,42,s2\n"),
    )
    .unwrap();
    let first = run(&ws, &request(&a), &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    let second = run(&ws, &request(&b), &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!(
        stored(&second).get("people"),
        None,
        "the same user is the same person"
    );
    undo(&ws, first.import.id).await.unwrap();
    assert_eq!(ws.count("events").await.unwrap(), 1);
    assert_eq!(ws.count("people").await.unwrap(), 1);
    assert_eq!(ws.count("identities").await.unwrap(), 1);
    assert_eq!(ws.count("products").await.unwrap(), 1);
    assert_eq!(
        scalar(&ws, "SELECT import_id FROM people").await,
        second.import.id,
        "the person now belongs to the import that still uses it"
    );
    assert_integrity(&ws).await;
    // Undoing the second import then leaves nothing behind.
    undo(&ws, second.import.id).await.unwrap();
    assert_eq!(ws.count("people").await.unwrap(), 0);
    assert_eq!(ws.count("events").await.unwrap(), 0);
}

#[tokio::test]
async fn a_newer_feed_replaces_products_and_undo_puts_the_old_ones_back() {
    let (dir, ws) = fresh().await;
    import(&ws, "google_merchant_center_feed_tapgiving.tsv").await;
    let title = || async {
        sqlx::query_scalar::<_, String>(
            "SELECT title FROM products WHERE external_id = 'TG-PLATE-100'",
        )
        .fetch_one(ws.pool())
        .await
        .unwrap()
    };
    let original = title().await;
    let feed = std::fs::read_to_string(exports().join("google_merchant_center_feed_tapgiving.tsv"))
        .unwrap();
    let changed = feed.replacen(&original, "Renamed plate", 1);
    let path = dir.path().join("feed_v2.tsv");
    std::fs::write(&path, changed).unwrap();
    let second = run(&ws, &request(&path), &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!(stored(&second).get("products updated"), Some(&3));
    assert_eq!(title().await, "Renamed plate");
    undo(&ws, second.import.id).await.unwrap();
    assert_eq!(title().await, original);
    assert_eq!(ws.count("products").await.unwrap(), 3);
}

#[tokio::test]
async fn a_cancelled_import_leaves_the_workspace_as_it_was() {
    let (dir, ws) = fresh().await;
    let path = dir.path().join("big.csv");
    let mut text = String::from("event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\n");
    for i in 0..60_000 {
        text.push_str(&format!(
            "2019-10-01 00:00:{:02} UTC,view,{},1,,acme,1.00,{},s\n",
            i % 60,
            i % 500,
            i % 7000
        ));
    }
    std::fs::write(&path, text).unwrap();
    let before = counts(&ws).await;
    let cancel = CancelToken::new();
    let seen = std::sync::atomic::AtomicU64::new(0);
    let on_progress = |p: &Progress| {
        seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        if p.done > 0 {
            cancel.cancel();
        }
    };
    let err = run(&ws, &request(&path), &on_progress, &cancel)
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Cancelled, "{err}");
    assert_eq!(counts(&ws).await, before);
    assert!(seen.load(std::sync::atomic::Ordering::SeqCst) > 0);
    // The same file imports fine afterwards.
    let o = run(&ws, &request(&path), &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!(o.import.rows_imported, 60_000);
    assert_integrity(&ws).await;
    let indexes = || async {
        scalar(&ws, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND sql IS NOT NULL").await
    };
    // A big import sets the event indexes aside and rebuilds them; so does its undo.
    assert_eq!(indexes().await, 2);
    undo(&ws, o.import.id).await.unwrap();
    assert_eq!(indexes().await, 2);
    assert_eq!(counts(&ws).await["events"], 0);
}

#[tokio::test]
async fn progress_reports_rows_and_bytes_of_the_file() {
    let (_dir, ws) = fresh().await;
    let reports = std::sync::Mutex::new(Vec::new());
    let on_progress = |p: &Progress| reports.lock().unwrap().push(p.clone());
    let path = exports().join("rees46_2019-Oct_head_sample.csv");
    run(&ws, &request(&path), &on_progress, &CancelToken::new())
        .await
        .unwrap();
    let reports = reports.into_inner().unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(reports
        .iter()
        .all(|p| p.bytes_total == Some(size) && p.unit == "rows"));
    let last = reports.last().unwrap();
    assert_eq!(last.bytes_done, Some(size));
    assert!(last.done >= 17_434, "{last:?}");
    assert!(reports.windows(2).all(|w| w[0].done <= w[1].done));
}

#[tokio::test]
async fn files_that_are_not_what_they_claim_are_refused_and_nothing_is_written() {
    let (dir, ws) = fresh().await;
    let before = counts(&ws).await;
    let mut wrong = request(&exports().join("rees46_2019-Oct_head_sample.csv"));
    wrong.format = Some(Format::GoogleAdsReport);
    let err = run(&ws, &wrong, &|_| {}, &CancelToken::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::WrongFormat, "{err}");
    assert!(
        err.to_string().contains("rees46_2019-Oct_head_sample.csv"),
        "{err}"
    );

    let noise = dir.path().join("noise.bin");
    std::fs::write(&noise, [0u8, 159, 146, 150, 255, 0, 1, 2, 3].repeat(500)).unwrap();
    let err = run(&ws, &request(&noise), &|_| {}, &CancelToken::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnrecognisedFormat, "{err}");
    assert!(err.to_string().contains("noise.bin"), "{err}");

    let missing = run(
        &ws,
        &request(&dir.path().join("gone.csv")),
        &|_| {},
        &CancelToken::new(),
    )
    .await
    .unwrap_err();
    assert_eq!(missing.code(), ErrorCode::Io);
    assert_eq!(counts(&ws).await, before);
}

#[tokio::test]
async fn random_bytes_are_not_a_recognised_export_rather_than_a_csv_to_map() {
    let (dir, ws) = fresh().await;
    let path = dir.path().join("photo.csv");
    let mut x: u32 = 2_463_534_242;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            (x >> 8) as u8
        })
        .collect();
    std::fs::write(&path, bytes).unwrap();
    let before = counts(&ws).await;
    let inspection = inspect(&ws, &path).await.unwrap();
    assert_eq!(inspection.detection.format, Format::Unknown);
    assert!(!inspection.needs_mapping);
    let err = run(&ws, &request(&path), &|_| {}, &CancelToken::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnrecognisedFormat, "{err}");
    let message = err.to_string();
    assert!(message.contains("photo.csv"), "{message}");
    assert!(
        message.contains("binary content with no header row"),
        "{message}"
    );
    assert_eq!(counts(&ws).await, before);
}

#[tokio::test]
async fn a_generic_csv_is_mapped_once_and_the_mapping_is_reused() {
    let (dir, ws) = fresh().await;
    let header = "When,Who,What,Item,Amount\n";
    let first = dir.path().join("shop_a.csv");
    std::fs::write(
        &first,
        format!("{header}1700000000,u1,pv,p1,\n1700000060,u1,buy,p1,12.50\n1700000120,u2,pv,p2,\n"),
    )
    .unwrap();
    let inspection = inspect(&ws, &first).await.unwrap();
    assert_eq!(inspection.detection.format, Format::GenericCsv);
    assert!(inspection.needs_mapping);
    assert_eq!(inspection.header, ["When", "Who", "What", "Item", "Amount"]);
    assert_eq!(inspection.rows.len(), 3);

    let err = run(&ws, &request(&first), &|_| {}, &CancelToken::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NeedsMapping, "{err}");

    use formats::{EventField, TimestampFormat};
    let mapping = ColumnMapping {
        name: "Shop A events".into(),
        fingerprint: inspection.fingerprint.clone(),
        columns: [
            (EventField::Timestamp, "When"),
            (EventField::VisitorId, "Who"),
            (EventField::EventName, "What"),
            (EventField::ProductId, "Item"),
            (EventField::Price, "Amount"),
        ]
        .into_iter()
        .map(|(f, c)| (f, c.to_string()))
        .collect(),
        timestamp: TimestampFormat::UnixSeconds,
        currency: Some("EUR".into()),
        event_names: [("pv", "page_view"), ("buy", "purchase")]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
    };
    let mut with_mapping = request(&first);
    with_mapping.mapping = Some(mapping);
    with_mapping.save_mapping = true;
    let o = run(&ws, &with_mapping, &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!(o.import.rows_imported, 3);
    assert_eq!(
        scalar(
            &ws,
            "SELECT value_minor FROM events WHERE name = 'purchase' AND currency = 'EUR'"
        )
        .await,
        1250
    );

    // Another file with the same header: the saved mapping applies by itself.
    let second = dir.path().join("shop_a_week2.csv");
    std::fs::write(&second, format!("{header}1700600000,u3,buy,p9,3.00\n")).unwrap();
    let inspection = inspect(&ws, &second).await.unwrap();
    assert!(!inspection.needs_mapping);
    assert_eq!(
        inspection.saved_mapping.as_ref().map(|m| m.name.as_str()),
        Some("Shop A events")
    );
    let o = run(&ws, &request(&second), &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!(o.import.rows_imported, 1);
    assert_eq!(ws.count("events").await.unwrap(), 4);
}

#[tokio::test]
async fn a_mapping_without_time_event_or_person_is_refused() {
    let (dir, ws) = fresh().await;
    let path = dir.path().join("x.csv");
    std::fs::write(&path, "a,b\n1,2\n").unwrap();
    let mut req = request(&path);
    req.mapping = Some(ColumnMapping {
        name: "bad".into(),
        fingerprint: "f".into(),
        columns: [(formats::EventField::Timestamp, "a".to_string())]
            .into_iter()
            .collect(),
        timestamp: formats::TimestampFormat::UnixSeconds,
        currency: None,
        event_names: Default::default(),
    });
    let err = run(&ws, &req, &|_| {}, &CancelToken::new())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert!(err.to_string().contains("event name"), "{err}");
}

#[tokio::test]
async fn inspection_shows_the_format_with_its_evidence() {
    let (_dir, ws) = fresh().await;
    let i = inspect(
        &ws,
        &exports().join("google_ads_campaign_report_gbp_utf16_tab.csv"),
    )
    .await
    .unwrap();
    assert_eq!(i.detection.format, Format::GoogleAdsReport);
    assert!(!i.detection.evidence.is_empty());
    assert!(
        i.detection.encoding.starts_with("UTF-16"),
        "{}",
        i.detection.encoding
    );
    assert!(!i.first_lines.is_empty());
    assert!(i.choices.iter().any(|c| c.format == Format::MetaAdsExport));
    assert!(i.already_imported.is_none());
}

#[tokio::test]
async fn reports_keep_their_periods_and_notes() {
    let (_dir, ws) = fresh().await;
    let o = import(&ws, "meta_ads_campaigns_export_no_data.csv").await;
    assert_eq!(o.import.note.as_deref(), Some("No data available."));
    let (_d2, ws2) = fresh().await;
    import(&ws2, "ga4_report_csv_export_cohort_nth_day.csv").await;
    assert_eq!(
        scalar(
            &ws2,
            "SELECT count(*) FROM report_rows WHERE period_start IS NULL"
        )
        .await,
        0
    );
    // 18 cards (the README counts 17); ten of them hold a header but no rows.
    assert_eq!(
        scalar(&ws2, "SELECT max(section) FROM report_rows").await,
        18
    );
    assert_eq!(
        scalar(&ws2, "SELECT count(DISTINCT section) FROM report_rows").await,
        8
    );
}

#[tokio::test]
async fn a_per_person_ab_file_becomes_an_experiment_with_its_variants() {
    let (_dir, ws) = fresh().await;
    import(&ws, "cookie_cats.csv").await;
    let variants: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "SELECT name, is_control, n, conversions FROM experiment_variants ORDER BY name",
    )
    .fetch_all(ws.pool())
    .await
    .unwrap();
    assert_eq!(variants.len(), 2);
    assert_eq!(variants[0].0, "gate_30");
    assert_eq!(
        variants[0].1, 1,
        "the first variant in the file is the control"
    );
    assert_eq!(variants[0].2 + variants[1].2, 90_189);
    let list = rebound_experiments::list(&ws).await.unwrap();
    assert_eq!(list.len(), 1);
}

/// The website clicks and purchases of one arm's file, summed from the file.
fn arm_totals(name: &str) -> (i64, i64) {
    let text = std::fs::read_to_string(exports().join(name)).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(|h| h.trim().trim_start_matches("of ").trim().to_lowercase())
        .collect();
    let at = |col: &str| header.iter().position(|h| h == col).unwrap();
    let (clicks, purchases) = (at("website clicks"), at("purchase"));
    let mut totals = (0, 0);
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let num = |i: usize| {
            cells
                .get(i)
                .and_then(|c| c.trim().parse::<i64>().ok())
                .unwrap_or(0)
        };
        totals.0 += num(clicks);
        totals.1 += num(purchases);
    }
    totals
}

#[tokio::test]
async fn a_control_and_a_test_file_are_the_two_arms_of_one_experiment() {
    let (_dir, ws) = fresh().await;
    let control = import(&ws, "ab_control_group.csv").await;
    let test = import(&ws, "ab_test_group.csv").await;
    assert_eq!(
        stored(&test).get("experiments"),
        None,
        "no second experiment"
    );
    let list = rebound_experiments::list(&ws).await.unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    let item = &list[0];
    assert_eq!(item.name, "Control Campaign vs Test Campaign");
    assert_eq!(item.variants, 2);
    assert_eq!(item.unit_label, "website clicks");
    let data = rebound_experiments::data(&ws, item.id).await.unwrap();
    let arms: Vec<(&str, u64, Option<u64>)> = data
        .variants
        .iter()
        .map(|v| (v.name.as_str(), v.n, v.conversions))
        .collect();
    let (c, t) = (
        arm_totals("ab_control_group.csv"),
        arm_totals("ab_test_group.csv"),
    );
    assert_eq!(
        arms,
        [
            ("Control Campaign", c.0 as u64, Some(c.1 as u64)),
            ("Test Campaign", t.0 as u64, Some(t.1 as u64)),
        ]
    );
    assert_eq!(data.conversion_metric.as_deref(), Some("purchase"));
    let detail = rebound_experiments::detail(&ws, item.id, rebound_charts::ChartTheme::Light)
        .await
        .unwrap();
    assert_eq!(detail.report.control, "Control Campaign");
    // Two campaigns' daily totals: nobody planned a split to check.
    assert!(!detail.report.srm.flagged && detail.report.srm.p_value.is_none());

    // Undoing the test file takes only its arm away.
    undo(&ws, test.import.id).await.unwrap();
    let data = rebound_experiments::data(&ws, item.id).await.unwrap();
    assert_eq!(data.variants.len(), 1);
    assert_eq!(data.variants[0].name, "Control Campaign");
    // Imported again, it joins again; undoing the control leaves the test's arm.
    let again = run(
        &ws,
        &ImportRequest {
            path: exports().join("ab_test_group.csv").display().to_string(),
            ..ImportRequest::default()
        },
        &|_| {},
        &CancelToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(rebound_experiments::list(&ws).await.unwrap()[0].variants, 2);
    undo(&ws, control.import.id).await.unwrap();
    let left = rebound_experiments::list(&ws).await.unwrap();
    assert_eq!(left.len(), 1);
    let data = rebound_experiments::data(&ws, left[0].id).await.unwrap();
    assert_eq!(data.variants.len(), 1);
    assert_eq!(data.variants[0].name, "Test Campaign");
    undo(&ws, again.import.id).await.unwrap();
    assert_eq!(scalar(&ws, "SELECT count(*) FROM experiments").await, 0);
    assert_eq!(
        scalar(&ws, "SELECT count(*) FROM experiment_variants").await,
        0
    );
}

#[test]
fn arm_words_are_left_out_of_a_pair_name() {
    use rebound_experiments::ab_rows::pair_stem;
    assert_eq!(pair_stem("ab_control_group.csv"), "ab");
    assert_eq!(pair_stem("ab_test_group.csv"), "ab");
    assert_eq!(pair_stem("Spring sale - Variant B.csv"), "Spring sale");
    assert_eq!(pair_stem("Spring sale - control.csv"), "Spring sale");
    assert_ne!(
        pair_stem("summer_control.csv"),
        pair_stem("winter_test.csv")
    );
}

/// cookie_cats has two yes/no outcomes; the one chosen at import is the
/// conversion, counted here from the file itself.
#[tokio::test]
async fn the_conversion_of_a_per_person_ab_file_is_chosen_at_import() {
    let (_dir, ws) = fresh().await;
    let path = exports().join("cookie_cats.csv");
    let inspection = inspect(&ws, &path).await.unwrap();
    assert_eq!(
        inspection.conversion_choices,
        ["retention_1", "retention_7"]
    );
    let chosen = ImportRequest {
        conversion: Some("retention_7".into()),
        ..request(&path)
    };
    run(&ws, &chosen, &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let mut by_gate: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.trim_end_matches('\r').split(',').collect();
        let e = by_gate.entry(f[1].to_string()).or_default();
        e.0 += 1;
        e.1 += u64::from(f[4].eq_ignore_ascii_case("true"));
    }
    let item = &rebound_experiments::list(&ws).await.unwrap()[0];
    let data = rebound_experiments::data(&ws, item.id).await.unwrap();
    assert_eq!(data.conversion_metric.as_deref(), Some("retention_7"));
    let got: BTreeMap<String, (u64, u64)> = data
        .variants
        .iter()
        .map(|v| (v.name.clone(), (v.n, v.conversions.unwrap())))
        .collect();
    assert_eq!(got, by_gate);

    // A column the file does not have is refused, naming the ones it has.
    let (_dir2, other) = fresh().await;
    let wrong = ImportRequest {
        conversion: Some("retention_30".into()),
        ..request(&path)
    };
    let err = run(&other, &wrong, &|_| {}, &CancelToken::new())
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("column 'retention_30' is not in the header"),
        "{err}"
    );
    assert!(err.contains("retention_1, retention_7"), "{err}");
    assert_eq!(scalar(&other, "SELECT count(*) FROM experiments").await, 0);
}

#[tokio::test]
async fn the_demo_data_is_listed_in_the_history_as_demo_data() {
    let (_dir, ws) = fresh().await;
    let options = rebound_demo::DemoOptions {
        people: 200,
        seed: 3,
        end_date: chrono::NaiveDate::from_ymd_opt(2026, 10, 31).unwrap(),
        currency: rebound_demo::CURRENCY.to_string(),
    };
    rebound_demo::generate(&ws, &options, &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    let history = list(&ws).await.unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].format_label, "demo data");
    assert!(history[0].file_name.starts_with("Demo data (200 people"));
}

/// What an import records as its time comes from the workspace's clock, not
/// the wall clock: a workspace opened on a fixed clock shows that instant.
#[tokio::test]
async fn an_import_and_the_demo_are_timed_by_the_workspace_clock() {
    fn fixed() -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::parse_from_rfc3339("2026-12-02T09:30:00Z")
            .unwrap()
            .to_utc()
    }
    let at = fixed().timestamp_micros();
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::create_with(&dir.path().join("clock.rebound"), fixed)
        .await
        .unwrap();
    assert_eq!(ws.now(), fixed());
    import(&ws, "google_ads_campaign_report_gbp_utf8.csv").await;
    let (started, finished): (i64, i64) =
        sqlx::query_as("SELECT started_at, finished_at FROM imports")
            .fetch_one(ws.pool())
            .await
            .unwrap();
    assert_eq!((started, finished), (at, at));
    let created: String =
        sqlx::query_scalar("SELECT value FROM workspace_meta WHERE key = 'created_at'")
            .fetch_one(ws.pool())
            .await
            .unwrap();
    assert_eq!(created, fixed().to_rfc3339());
    ws.close().await;

    let demo_ws = Workspace::create_with(&dir.path().join("demo.rebound"), fixed)
        .await
        .unwrap();
    let options = rebound_demo::DemoOptions {
        people: 50,
        seed: 1,
        end_date: chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        currency: rebound_demo::CURRENCY.to_string(),
    };
    rebound_demo::generate(&demo_ws, &options, &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    let (started, finished): (i64, i64) =
        sqlx::query_as("SELECT started_at, finished_at FROM imports WHERE format = 'demo'")
            .fetch_one(demo_ws.pool())
            .await
            .unwrap();
    assert_eq!((started, finished), (at, at));
    demo_ws.close().await;
}
