//! The verdicts a marketer reads, held by snapshots (insta): the headline,
//! the decision and every caveat of the cases the product meets, so a change
//! of wording or of a decision shows up in review as a diff of
//! `tests/snapshots/`. The numbers behind them are checked against scipy and
//! statsmodels in `golden.rs` and `cookie_cats.rs`.

use std::path::PathBuf;

use rebound_stats::{
    analyze, read_person_csv, AnalysisOptions, ExperimentData, PersonColumns, VariantSummary,
};

fn data(variants: Vec<VariantSummary>, metric: &str) -> ExperimentData {
    ExperimentData {
        variants,
        conversion_metric: Some(metric.into()),
        value_metric: None,
    }
}

fn verdict(data: &ExperimentData, options: &AnalysisOptions) -> serde_json::Value {
    let report = analyze(data, options).unwrap();
    serde_json::to_value(&report.verdict).unwrap()
}

#[test]
fn a_clear_winner() {
    let d = data(
        vec![
            VariantSummary::conversions("Control", 10_000, 1_000),
            VariantSummary::conversions("Free shipping", 10_000, 1_150),
        ],
        "purchases",
    );
    insta::assert_json_snapshot!(verdict(&d, &AnalysisOptions::default()));
}

#[test]
fn no_difference_yet() {
    let d = data(
        vec![
            VariantSummary::conversions("Control", 2_000, 200),
            VariantSummary::conversions("New subject line", 2_000, 206),
        ],
        "opens",
    );
    insta::assert_json_snapshot!(verdict(&d, &AnalysisOptions::default()));
}

#[test]
fn a_sample_ratio_mismatch_is_named_first() {
    let d = data(
        vec![
            VariantSummary::conversions("Control", 10_000, 1_000),
            VariantSummary::conversions("Carousel", 9_000, 1_010),
        ],
        "clicks",
    );
    let options = AnalysisOptions {
        srm_weights: Some(vec![0.5, 0.5]),
        ..AnalysisOptions::default()
    };
    insta::assert_json_snapshot!(verdict(&d, &options));
}

#[test]
fn three_arms_corrected_for_multiple_comparisons() {
    let d = data(
        vec![
            VariantSummary::conversions("Control", 8_000, 640),
            VariantSummary::conversions("10% off", 8_000, 720),
            VariantSummary::conversions("Free gift", 8_000, 655),
        ],
        "purchases",
    );
    insta::assert_json_snapshot!(verdict(&d, &AnalysisOptions::default()));
}

#[test]
fn cookie_cats_retention_7() {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../../shared/data/exports/cookie_cats.csv");
    let columns = PersonColumns {
        variant: Some("version".into()),
        converted: Some("retention_7".into()),
        value: Some("sum_gamerounds".into()),
        covariate: None,
    };
    let read = read_person_csv(&file, &columns).unwrap();
    insta::assert_json_snapshot!(verdict(&read.data, &AnalysisOptions::default()));
}
