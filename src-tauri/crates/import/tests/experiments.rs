//! Experiments made from imported files, read by `rebound-experiments`: the
//! planner's traffic from an event log, and split tests from a Meta export.
//! They live here because they need both the importer and the analysis.

use rebound_core::{CancelToken, Workspace};
use rebound_experiments::planner_defaults;
use rebound_experiments::split_tests::{create, options, SplitBy, SplitRequest};
use rebound_import::{self as import, ImportRequest};
use rebound_stats::PersonColumns;

/// The REES46 sample has events but no visits: the planner's traffic is
/// the log's active people, counted here from the file itself.
#[tokio::test]
async fn planner_reads_traffic_from_an_event_log_without_visits() {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::create(&dir.path().join("own.rebound"))
        .await
        .unwrap();
    let file = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../../shared/data/exports/rees46_2019-Oct_head_sample.csv");
    let request = import::ImportRequest {
        path: file.to_string_lossy().into_owned(),
        format: None,
        mapping: None,
        save_mapping: false,
        conversion: None,
    };
    import::run(&ws, &request, &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.trim_end_matches('\r').split(',').collect::<Vec<_>>())
        .filter(|f| f.len() == 9)
        .collect();
    let users: std::collections::HashSet<&str> = rows.iter().map(|f| f[7]).collect();
    let buyers: std::collections::HashSet<&str> = rows
        .iter()
        .filter(|f| f[1] == "purchase")
        .map(|f| f[7])
        .collect();
    let defaults = planner_defaults(&ws).await.unwrap();
    // One day of data: daily traffic is everyone active that day.
    assert_eq!(defaults.daily_traffic, Some(users.len() as f64));
    assert_eq!(
        defaults.baseline_rate,
        Some(buyers.len() as f64 / users.len() as f64)
    );
    assert_eq!(
        defaults.source,
        format!(
            "From the event log (no visits are recorded), the 30 days to 2019-10-01: {} people were active ({} a day) and {} of them bought.",
            users.len(),
            users.len(),
            buyers.len()
        )
    );
}

async fn meta_split_test() -> (tempfile::TempDir, Workspace, i64) {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::create(&dir.path().join("t.rebound"))
        .await
        .unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../../shared/data/exports/meta_ads_manager_export_dirty_ab_test.csv");
    let request = ImportRequest {
        path: path.display().to_string(),
        ..ImportRequest::default()
    };
    let o = import::run(&ws, &request, &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    (dir, ws, o.import.id)
}

#[tokio::test]
async fn the_meta_split_test_export_offers_its_four_ad_sets() {
    let (_dir, ws, id) = meta_split_test().await;
    let o = options(&ws, id).await.unwrap();
    let ad_sets = o.groupings.iter().find(|g| g.by == SplitBy::AdSet).unwrap();
    assert_eq!(ad_sets.arms.len(), 4);
    let total = |key: &str| o.metrics.iter().find(|m| m.key == key).map(|m| m.total);
    // The README's check values: impressions 23,559, link clicks 949.
    assert_eq!(total("impressions"), Some(23_559));
    assert_eq!(total("clicks"), Some(949));
    assert_eq!(total("other:Landing page views"), Some(842));
    assert!(
        o.groupings.iter().all(|g| g.by != SplitBy::Campaign),
        "one campaign only"
    );
}

#[tokio::test]
async fn a_split_test_becomes_an_experiment_that_analyses_and_undoes() {
    let (_dir, ws, id) = meta_split_test().await;
    let request = SplitRequest {
        import_id: id,
        by: SplitBy::AdSet,
        trials: "impressions".into(),
        conversions: "clicks".into(),
        control: None,
        name: None,
    };
    let experiment = create(&ws, &request, 1).await.unwrap();
    let data = rebound_experiments::data(&ws, experiment).await.unwrap();
    assert_eq!(data.variants.len(), 4);
    assert_eq!(data.variants.iter().map(|v| v.n).sum::<u64>(), 23_559);
    assert_eq!(
        data.variants
            .iter()
            .map(|v| v.conversions.unwrap())
            .sum::<u64>(),
        949
    );
    let detail = rebound_experiments::detail(&ws, experiment, rebound_charts::ChartTheme::Light)
        .await
        .unwrap();
    assert!(!detail.report.verdict.headline.is_empty());
    // Ad sets are what Meta ran, not a planned split: no ratio alarm.
    let srm = &detail.report.srm;
    assert!(!srm.flagged && srm.p_value.is_none());
    assert_eq!(
        srm.neutral.as_ref().map(|n| n.reason_code),
        Some(rebound_stats::ReasonCode::NoPlannedSplit)
    );
    let verdict = serde_json::to_string(&detail.report.verdict).unwrap();
    assert!(!verdict.contains("assignment or tracking"), "{verdict}");
    assert!(
        !verdict.to_lowercase().contains("sample ratio"),
        "{verdict}"
    );

    let wrong = SplitRequest {
        trials: "clicks".into(),
        conversions: "impressions".into(),
        ..request.clone()
    };
    let err = create(&ws, &wrong, 1).await.unwrap_err().to_string();
    assert!(err.contains("exceed"), "{err}");

    import::undo(&ws, id).await.unwrap();
    assert_eq!(ws.count("experiments").await.unwrap(), 0);
}

/// Each variant's units and conversions, by name.
fn by_variant(data: &rebound_stats::ExperimentData) -> Vec<(String, u64, Option<u64>)> {
    let mut v: Vec<_> = data
        .variants
        .iter()
        .map(|v| (v.name.clone(), v.n, v.conversions))
        .collect();
    v.sort();
    v
}

/// Imports a per-person A/B file and reads the experiment it made.
async fn imported(
    path: &std::path::Path,
) -> (
    tempfile::TempDir,
    import::ImportOutcome,
    rebound_stats::ExperimentData,
) {
    imported_counting(path, None).await
}

/// Imports `path` counting `conversion` (when given) as converted.
async fn imported_counting(
    path: &std::path::Path,
    conversion: Option<&str>,
) -> (
    tempfile::TempDir,
    import::ImportOutcome,
    rebound_stats::ExperimentData,
) {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::create(&dir.path().join("t.rebound"))
        .await
        .unwrap();
    let request = ImportRequest {
        path: path.display().to_string(),
        conversion: conversion.map(str::to_string),
        ..ImportRequest::default()
    };
    let outcome = import::run(&ws, &request, &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    let list = rebound_experiments::list(&ws).await.unwrap();
    assert_eq!(list.len(), 1, "{list:?}");
    let data = rebound_experiments::data(&ws, list[0].id).await.unwrap();
    (dir, outcome, data)
}

/// `experiment analyze FILE` and an import of FILE use the one A/B reader:
/// the same variant and conversion columns, the same booleans, the same rows.
#[tokio::test]
async fn an_imported_ab_file_reads_as_experiment_analyze_reads_it() {
    let cookie_cats = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../../shared/data/exports/cookie_cats.csv");
    let analyzed = rebound_stats::read_person_csv(&cookie_cats, &Default::default()).unwrap();
    assert_eq!(analyzed.columns.converted.as_deref(), Some("retention_1"));
    let (_dir, outcome, data) = imported(&cookie_cats).await;
    assert_eq!(outcome.import.rows_imported, analyzed.rows);
    assert_eq!(by_variant(&data), by_variant(&analyzed.data));
    // The published figures: 44,700 and 45,489 players, 44.82% and 44.23% day-1 retention.
    assert_eq!(
        by_variant(&data),
        vec![
            ("gate_30".into(), 44_700, Some(20_034)),
            ("gate_40".into(), 45_489, Some(20_119)),
        ]
    );

    // A BOM, CRLF, every spelling of yes and no, a blank line, and a `Test Group`.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("spellings.csv");
    std::fs::write(
        &file,
        "\u{feff}user_id,Test Group,clicks,purchased\r\nu1,A,1,TRUE\r\nu2,A,0,t\r\n\r\nu3,B,3,1.0\r\nu4,B,1,no\r\nu5,B,2,Y\r\n",
    )
    .unwrap();
    let analyzed = rebound_stats::read_person_csv(&file, &Default::default()).unwrap();
    assert_eq!(analyzed.columns.variant, "Test Group");
    assert_eq!(analyzed.columns.converted.as_deref(), Some("purchased"));
    let (_d, outcome, data) = imported(&file).await;
    assert_eq!(outcome.import.rows_imported, 5);
    assert_eq!(
        by_variant(&data),
        vec![("A".into(), 2, Some(2)), ("B".into(), 3, Some(2))]
    );
    assert_eq!(by_variant(&data), by_variant(&analyzed.data));

    // A cell that is not a boolean: analyze stops there, the import rejects
    // that row, with the same words.
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "user_id,group,converted\nu1,A,1\nu2,B,maybe\nu3,B,0\n",
    )
    .unwrap();
    let err = rebound_stats::read_person_csv(&bad, &Default::default()).unwrap_err();
    let (_d, outcome, data) = imported(&bad).await;
    assert_eq!(outcome.rejections.len(), 1);
    assert_eq!(outcome.rejections[0].message("bad.csv"), err.to_string());
    assert_eq!(
        err.to_string(),
        "cannot read line 3 of bad.csv: column converted: 'maybe' is not a boolean"
    );
    assert_eq!(
        by_variant(&data),
        vec![("A".into(), 1, Some(1)), ("B".into(), 1, Some(0))]
    );

    // The conversion chosen at import is the one whose cells must be yes/no:
    // a bad cell in the column analyze would have guessed is only a metric
    // left out, and analyze naming the same column reads the file alike.
    let chosen = PersonColumns {
        converted: Some("signed_up".into()),
        ..PersonColumns::default()
    };
    let two = dir.path().join("two.csv");
    std::fs::write(
        &two,
        "user_id,group,converted,signed_up\nu1,A,1,no\nu2,B,maybe,yes\nu3,B,0,yes\n",
    )
    .unwrap();
    let analyzed = rebound_stats::read_person_csv(&two, &chosen).unwrap();
    let (_d, outcome, data) = imported_counting(&two, Some("signed_up")).await;
    assert!(outcome.rejections.is_empty(), "{:?}", outcome.rejections);
    assert_eq!(data.conversion_metric.as_deref(), Some("signed_up"));
    assert_eq!(
        by_variant(&data),
        vec![("A".into(), 1, Some(0)), ("B".into(), 2, Some(2))]
    );
    assert_eq!(by_variant(&data), by_variant(&analyzed.data));
}
