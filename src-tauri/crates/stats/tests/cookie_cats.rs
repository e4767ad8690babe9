//! cookie_cats.csv analysed end to end: the real file (CRLF, upper-case
//! TRUE/FALSE, no final newline) read by the streaming reader, analysed, and
//! compared with the README's published values and scipy/statsmodels'
//! numbers in golden/expected.json (tolerance 1e-6, absolute below 1 and
//! relative above).

use std::path::PathBuf;

use rebound_stats::{
    analyze, read_person_csv, AnalysisOptions, Comparison, Decision, ExperimentReport,
    PersonColumns,
};
use serde_json::Value;

fn cookie_cats() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../../shared/data/exports/cookie_cats.csv")
}

fn golden() -> Value {
    serde_json::from_str(include_str!("../golden/expected.json")).unwrap()
}

#[track_caller]
fn check(what: &str, actual: Option<f64>, expected: &Value) {
    let expected = expected.as_f64().unwrap();
    let actual = actual.unwrap_or_else(|| panic!("{what} is missing"));
    let allowed = 1e-6 * expected.abs().max(1.0);
    assert!(
        (actual - expected).abs() <= allowed,
        "{what}: got {actual}, expected {expected}"
    );
}

fn analyse(metric: &str) -> ExperimentReport {
    let columns = PersonColumns {
        variant: Some("version".into()),
        converted: Some(metric.into()),
        value: Some("sum_gamerounds".into()),
        covariate: None,
    };
    let file = read_person_csv(&cookie_cats(), &columns).unwrap();
    assert_eq!(file.rows, 90_189);
    analyze(&file.data, &AnalysisOptions::default()).unwrap()
}

fn check_comparison(metric: &str, c: &Comparison, g: &Value) {
    check(&format!("{metric} p"), c.p_value, &g["p_value"]);
    check(
        &format!("{metric} lift"),
        c.absolute_lift,
        &g["absolute_lift"],
    );
    check(
        &format!("{metric} relative"),
        c.relative_lift,
        &g["relative_lift"],
    );
    let i = c.relative_interval.unwrap();
    check(
        &format!("{metric} rel lower"),
        Some(i.lower),
        &g["relative_interval"][0],
    );
    check(
        &format!("{metric} rel upper"),
        Some(i.upper),
        &g["relative_interval"][1],
    );
    let i = c.absolute_interval.unwrap();
    check(
        &format!("{metric} abs lower"),
        Some(i.lower),
        &g["absolute_interval"][0],
    );
    check(
        &format!("{metric} abs upper"),
        Some(i.upper),
        &g["absolute_interval"][1],
    );
    check(
        &format!("{metric} chance"),
        c.chance_to_beat_control,
        &g["chance_to_beat_control"],
    );
    check(
        &format!("{metric} loss"),
        c.expected_loss,
        &g["expected_loss"],
    );
    let s = c.sequential_absolute_interval.unwrap();
    check(
        &format!("{metric} seq lower"),
        Some(s.lower),
        &g["sequential_absolute_interval"][0],
    );
    check(
        &format!("{metric} seq upper"),
        Some(s.upper),
        &g["sequential_absolute_interval"][1],
    );
    // one treatment: corrections change nothing
    assert_eq!(c.p_value_holm, c.p_value);
    assert_eq!(c.p_value_bh, c.p_value);
}

#[test]
fn cookie_cats_counts_match_the_published_values() {
    let report = analyse("retention_7");
    assert_eq!(report.control, "gate_30");
    let (a, b) = (&report.variants[0], &report.variants[1]);
    assert_eq!((a.name.as_str(), a.n), ("gate_30", 44_700));
    assert_eq!((b.name.as_str(), b.n), ("gate_40", 45_489));
    assert!((a.rate.unwrap() - 0.190201).abs() < 5e-7);
    assert!((b.rate.unwrap() - 0.182000).abs() < 5e-7);
    // sums of rounds from the dataset README
    assert!((a.mean.unwrap() * 44_700.0 - 2_344_795.0).abs() < 1e-6);
    assert!((b.mean.unwrap() * 45_489.0 - 2_333_530.0).abs() < 1e-6);
}

#[test]
fn cookie_cats_retention_7_matches_statsmodels_and_keeps_the_gate_at_30() {
    let g = golden();
    let report = analyse("retention_7");
    let c = report.variants[1].conversion.as_ref().unwrap();
    check_comparison("retention_7", c, &g["cookie_cats"]["retention_7"]);
    assert!(c.significant);
    let srm = &g["cookie_cats"]["srm"];
    check("srm chi2", report.srm.chi2, &srm["chi2"]);
    check("srm p", report.srm.p_value, &srm["p_value"]);
    assert!(!report.srm.flagged);
    assert_eq!(report.verdict.decision, Decision::ControlWins);
    assert!(
        report
            .verdict
            .headline
            .starts_with("Keep gate_30: gate_40 lowers retention_7 rate"),
        "{}",
        report.verdict.headline
    );
    // the rounds played: Welch on the same file
    let v = report.variants[1].value.as_ref().unwrap();
    let gv = &g["cookie_cats"]["sum_gamerounds"];
    check("rounds t", v.statistic, &gv["t"]);
    check("rounds df", v.degrees_of_freedom, &gv["df"]);
    check("rounds p", v.p_value, &gv["p_value"]);
    check(
        "rounds chance",
        v.chance_to_beat_control,
        &gv["chance_to_beat_control"],
    );
    check("rounds loss", v.expected_loss, &gv["expected_loss"]);
}

#[test]
fn cookie_cats_retention_1_is_not_significant() {
    let g = golden();
    let report = analyse("retention_1");
    let c = report.variants[1].conversion.as_ref().unwrap();
    check_comparison("retention_1", c, &g["cookie_cats"]["retention_1"]);
    assert!(!c.significant);
    assert_eq!(report.verdict.decision, Decision::NoClearDifference);
}
