//! Degenerate inputs give neutral results with a reason, never a panic or a
//! non-finite number; the report's JSON has the documented shape.

use rebound_stats::{
    analyze, AnalysisOptions, CaveatCode, Comparison, CovariateMoments, Decision, ExperimentData,
    ExperimentReport, ReasonCode, VariantSummary,
};

fn all_finite(report: &ExperimentReport) {
    let mut numbers: Vec<Option<f64>> =
        vec![Some(report.alpha), report.srm.chi2, report.srm.p_value];
    numbers.extend(report.srm.expected_shares.iter().map(|x| Some(*x)));
    let comparison_numbers = |c: &Comparison| {
        let mut v = vec![
            c.absolute_lift,
            c.relative_lift,
            c.statistic,
            c.degrees_of_freedom,
            c.p_value,
            c.p_value_holm,
            c.p_value_bh,
            c.chance_to_beat_control,
            c.expected_loss,
            c.expected_loss_control,
        ];
        for i in [
            c.absolute_interval,
            c.relative_interval,
            c.sequential_absolute_interval,
            c.sequential_relative_interval,
        ]
        .into_iter()
        .flatten()
        {
            v.extend([Some(i.lower), Some(i.upper)]);
        }
        if let Some(k) = &c.cuped {
            v.extend([
                k.theta,
                k.adjusted_mean,
                k.adjusted_mean_control,
                k.absolute_lift,
                k.relative_lift,
                k.p_value,
                k.statistic,
                k.degrees_of_freedom,
                k.variance_reduction,
            ]);
        }
        v
    };
    for variant in &report.variants {
        numbers.extend([variant.rate, variant.mean, variant.standard_deviation]);
        for c in [&variant.conversion, &variant.value].into_iter().flatten() {
            numbers.extend(comparison_numbers(c));
        }
    }
    for x in numbers.into_iter().flatten() {
        assert!(x.is_finite(), "non-finite number in {report:#?}");
    }
}

fn run(variants: Vec<VariantSummary>) -> ExperimentReport {
    let report = analyze(&ExperimentData::new(variants), &AnalysisOptions::default()).unwrap();
    all_finite(&report);
    report
}

fn conversion(report: &ExperimentReport, i: usize) -> &Comparison {
    report.variants[i].conversion.as_ref().unwrap()
}

#[test]
fn no_conversions_is_neutral() {
    let r = run(vec![
        VariantSummary::conversions("control", 5000, 0),
        VariantSummary::conversions("B", 5000, 0),
    ]);
    let c = conversion(&r, 1);
    assert_eq!(
        c.neutral.as_ref().unwrap().reason_code,
        ReasonCode::NoConversions
    );
    assert!(c.p_value.is_none() && c.chance_to_beat_control.is_none());
    assert_eq!(c.absolute_lift, Some(0.0));
    assert!(c.relative_lift.is_none());
    assert_eq!(r.verdict.decision, Decision::NotEnoughData);
    assert!(
        r.verdict.headline.contains("no conversions"),
        "{}",
        r.verdict.headline
    );
}

#[test]
fn one_variant_is_neutral() {
    let r = run(vec![VariantSummary::conversions("control", 5000, 40)]);
    assert_eq!(
        r.neutral.as_ref().unwrap().reason_code,
        ReasonCode::OneVariant
    );
    assert_eq!(
        r.srm.neutral.as_ref().unwrap().reason_code,
        ReasonCode::OneVariant
    );
    assert!(r.variants[0].conversion.is_none());
    assert_eq!(r.verdict.decision, Decision::NotEnoughData);
}

#[test]
fn zero_variance_values_are_neutral() {
    let r = run(vec![
        VariantSummary::values("control", 100, 500.0, 2500.0),
        VariantSummary::values("B", 100, 500.0, 2500.0),
    ]);
    let c = r.variants[1].value.as_ref().unwrap();
    assert_eq!(
        c.neutral.as_ref().unwrap().reason_code,
        ReasonCode::ZeroVariance
    );
    assert_eq!(r.variants[1].standard_deviation, Some(0.0));
}

#[test]
fn tiny_samples_are_neutral_with_a_caveat() {
    let r = run(vec![
        VariantSummary::conversions("control", 12, 3),
        VariantSummary::conversions("B", 9, 5),
    ]);
    let c = conversion(&r, 1);
    let n = c.neutral.as_ref().unwrap();
    assert_eq!(n.reason_code, ReasonCode::TooFewUnits);
    assert_eq!(
        n.message,
        "variant 'control' has 12 units; at least 30 per variant are needed before comparing"
    );
    assert!(r
        .verdict
        .caveats
        .iter()
        .any(|k| k.code == CaveatCode::TooLittleData));
    let empty = run(vec![
        VariantSummary::conversions("control", 0, 0),
        VariantSummary::conversions("B", 0, 0),
    ]);
    assert_eq!(
        conversion(&empty, 1).neutral.as_ref().unwrap().reason_code,
        ReasonCode::EmptyVariant
    );
    assert!(empty.variants[0].rate.is_none());
}

#[test]
fn a_zero_control_rate_keeps_the_test_but_drops_the_relative_lift() {
    let r = run(vec![
        VariantSummary::conversions("control", 2000, 0),
        VariantSummary::conversions("B", 2000, 15),
    ]);
    let c = conversion(&r, 1);
    assert!(c.neutral.is_none());
    assert!(c.p_value.unwrap() < 0.001);
    assert!(c.relative_lift.is_none() && c.relative_interval.is_none());
    assert!(c.chance_to_beat_control.unwrap() > 0.999);
}

#[test]
fn a_constant_covariate_makes_cuped_neutral_but_not_the_test() {
    let cov = CovariateMoments {
        sum: 100.0,
        sum_squares: 100.0,
        value_products: Some(600.0),
        conversion_products: None,
    };
    let mut a = VariantSummary::values("control", 100, 600.0, 4000.0);
    a.covariate = Some(cov.clone());
    let mut b = VariantSummary::values("B", 100, 650.0, 4600.0);
    b.covariate = Some(CovariateMoments {
        value_products: Some(650.0),
        ..cov
    });
    let r = run(vec![a, b]);
    let c = r.variants[1].value.as_ref().unwrap();
    assert!(c.p_value.is_some());
    let k = c.cuped.as_ref().unwrap();
    assert_eq!(
        k.neutral.as_ref().unwrap().reason_code,
        ReasonCode::UnusableCovariate
    );
}

#[test]
fn many_variants_get_holm_and_bh_and_a_multiple_variants_caveat() {
    let r = run(vec![
        VariantSummary::conversions("control", 10_000, 1000),
        VariantSummary::conversions("B", 10_000, 1150),
        VariantSummary::conversions("C", 10_000, 1010),
        VariantSummary::conversions("D", 10_000, 1060),
    ]);
    let raw: Vec<f64> = (1..4).map(|i| conversion(&r, i).p_value.unwrap()).collect();
    let holm: Vec<f64> = (1..4)
        .map(|i| conversion(&r, i).p_value_holm.unwrap())
        .collect();
    let bh: Vec<f64> = (1..4)
        .map(|i| conversion(&r, i).p_value_bh.unwrap())
        .collect();
    assert_eq!(holm, rebound_stats::multiple::holm(&raw));
    assert_eq!(bh, rebound_stats::multiple::benjamini_hochberg(&raw));
    assert!(holm.iter().zip(&raw).all(|(h, p)| h >= p));
    assert!(r
        .verdict
        .caveats
        .iter()
        .any(|k| k.code == CaveatCode::MultipleVariants));
    assert_eq!(r.verdict.decision, Decision::TreatmentWins);
    assert!(
        r.verdict.headline.starts_with("B beats control"),
        "{}",
        r.verdict.headline
    );
}

#[test]
fn a_sample_ratio_mismatch_overrides_the_verdict() {
    let r = run(vec![
        VariantSummary::conversions("control", 10_000, 1000),
        VariantSummary::conversions("B", 10_600, 1300),
    ]);
    assert!(r.srm.flagged);
    assert_eq!(r.verdict.decision, Decision::Untrustworthy);
    assert!(r
        .verdict
        .caveats
        .iter()
        .any(|k| k.code == CaveatCode::SampleRatioMismatch));
}

#[test]
fn an_unfinished_experiment_carries_a_peeking_caveat() {
    let options = AnalysisOptions {
        planned_sample_per_variant: Some(20_000),
        ..AnalysisOptions::default()
    };
    let data = ExperimentData::new(vec![
        VariantSummary::conversions("control", 3000, 300),
        VariantSummary::conversions("B", 3000, 360),
    ]);
    let r = analyze(&data, &options).unwrap();
    let peeking = r
        .verdict
        .caveats
        .iter()
        .filter(|k| k.code == CaveatCode::Peeking)
        .count();
    // one for the unfinished plan, one because the always-valid interval still includes 0
    assert_eq!(peeking, 2, "{:#?}", r.verdict);
    let c = conversion(&r, 1);
    assert!(c.significant && c.sequential_absolute_interval.unwrap().contains(0.0));
}

#[test]
fn invalid_input_is_an_error_not_a_result() {
    let data = ExperimentData::new(vec![VariantSummary::conversions("control", 10, 3)]);
    let options = AnalysisOptions {
        control: Some("A".into()),
        ..AnalysisOptions::default()
    };
    let e = analyze(&data, &options).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot analyse experiment: no variant is named 'A' (variants: control)"
    );
    assert!(analyze(&ExperimentData::default(), &AnalysisOptions::default()).is_err());
}

#[test]
fn the_json_has_the_documented_shape_and_round_trips() {
    let r = run(vec![
        VariantSummary::conversions("control", 10_000, 1000),
        VariantSummary::conversions("B", 10_000, 1100),
    ]);
    let json = serde_json::to_value(&r).unwrap();
    for key in [
        "control",
        "alpha",
        "sequential_tuning_n",
        "variants",
        "srm",
        "verdict",
        "neutral",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    let b = &json["variants"][1];
    for key in [
        "name",
        "is_control",
        "n",
        "conversions",
        "rate",
        "mean",
        "standard_deviation",
        "conversion",
        "value",
    ] {
        assert!(b.get(key).is_some(), "variant missing {key}");
    }
    for key in [
        "metric",
        "test",
        "absolute_lift",
        "absolute_interval",
        "relative_lift",
        "relative_interval",
        "statistic",
        "degrees_of_freedom",
        "p_value",
        "p_value_holm",
        "p_value_bh",
        "significant",
        "chance_to_beat_control",
        "expected_loss",
        "expected_loss_control",
        "sequential_absolute_interval",
        "sequential_relative_interval",
        "cuped",
        "neutral",
    ] {
        assert!(
            b["conversion"].get(key).is_some(),
            "comparison missing {key}"
        );
    }
    assert_eq!(b["conversion"]["test"], "two_proportion_z");
    assert!(b["conversion"]["relative_interval"]["lower"].is_f64());
    for key in ["chi2", "p_value", "flagged", "expected_shares"] {
        assert!(json["srm"].get(key).is_some(), "srm missing {key}");
    }
    assert!(json["verdict"]["headline"].is_string() && json["verdict"]["caveats"].is_array());
    let back: ExperimentReport = serde_json::from_value(json).unwrap();
    assert_eq!(back, r);
}

#[test]
fn typescript_declarations_use_number_for_counts() {
    use ts_rs::TS;
    let dir = tempfile::tempdir().unwrap();
    let cfg = ts_rs::Config::new().with_out_dir(dir.path());
    ExperimentReport::export_all(&cfg).unwrap();
    let report = std::fs::read_to_string(dir.path().join("ExperimentReport.ts")).unwrap();
    assert!(
        report.contains("variants: Array<VariantReport>"),
        "{report}"
    );
    let variant = std::fs::read_to_string(dir.path().join("VariantReport.ts")).unwrap();
    assert!(
        variant.contains("n: number") && !variant.contains("bigint"),
        "{variant}"
    );
}

/// A variant is only declared the winner when the corrected test and the
/// delta-method interval of its relative lift agree; where they disagree (at
/// the boundary) the verdict says it is too close to call.
#[test]
fn a_borderline_result_is_not_called_a_win() {
    let mut borderline = 0;
    for n in [400u64, 1000, 3000] {
        let base = n / 10;
        for k in base..base * 2 {
            let r = run(vec![
                VariantSummary::conversions("control", n, base),
                VariantSummary::conversions("B", n, k),
            ]);
            let c = conversion(&r, 1);
            let interval_has_zero = c.relative_interval.is_some_and(|i| i.contains(0.0));
            if c.significant && interval_has_zero {
                borderline += 1;
                assert_eq!(
                    r.verdict.decision,
                    Decision::NoClearDifference,
                    "n={n} k={k}"
                );
                assert!(
                    r.verdict
                        .caveats
                        .iter()
                        .any(|k| k.code == CaveatCode::Borderline),
                    "n={n} k={k}: {:?}",
                    r.verdict.caveats
                );
            }
            if r.verdict.decision == Decision::TreatmentWins {
                assert!(c.significant && !interval_has_zero, "n={n} k={k}");
            }
        }
    }
    assert!(borderline > 0, "the boundary was crossed at least once");
}
