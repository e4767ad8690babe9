//! Golden numbers: every statistic checked against scipy/statsmodels.
//!
//! `golden/generate.py` computed `golden/expected.json` with scipy and
//! statsmodels (or, where they have no function, with an independent
//! numerical method: quadrature for the Bayesian figures, a root-found
//! mixture martingale for sequential intervals). Tolerance: 1e-6, absolute
//! for expected values with |x| ≤ 1 (p-values, rates, lifts, probabilities)
//! and relative for larger ones (sample sizes, t statistics, means).

use rebound_stats::bayesian::{beta_binomial, normal_posterior};
use rebound_stats::frequentist::{two_proportion_z_test, welch_t_test, FrequentistOutcome};
use rebound_stats::multiple::{benjamini_hochberg, holm};
use rebound_stats::sequential::always_valid_halfwidth;
use rebound_stats::{
    analyze, minimum_detectable_effect, sample_ratio_mismatch, sample_size, AnalysisOptions,
    Baseline, Design, Interval, PersonRow, ProportionStatistic, RowAggregator, RowShape,
    SampleMeanStatistic,
};
use serde_json::Value;

const TOLERANCE: f64 = 1e-6;

fn golden() -> Value {
    serde_json::from_str(include_str!("../golden/expected.json")).expect("expected.json parses")
}

#[track_caller]
fn check(what: &str, actual: f64, expected: f64) {
    let allowed = TOLERANCE * expected.abs().max(1.0);
    assert!(
        actual.is_finite() && (actual - expected).abs() <= allowed,
        "{what}: got {actual}, expected {expected} (allowed {allowed})"
    );
}

#[track_caller]
fn check_interval(what: &str, actual: Interval, expected: &Value) {
    check(&format!("{what}.lower"), actual.lower, num(&expected[0]));
    check(&format!("{what}.upper"), actual.upper, num(&expected[1]));
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"))
}

fn count(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("{v} is not a count"))
}

fn check_frequentist(name: &str, out: &FrequentistOutcome, case: &Value) {
    let stat_key = if case.get("z").is_some() { "z" } else { "t" };
    check(
        &format!("{name} {stat_key}"),
        out.statistic,
        num(&case[stat_key]),
    );
    check(
        &format!("{name} p_value"),
        out.p_value,
        num(&case["p_value"]),
    );
    if let Some(df) = case.get("df") {
        check(
            &format!("{name} df"),
            out.degrees_of_freedom.unwrap(),
            num(df),
        );
    }
    check(
        &format!("{name} absolute_lift"),
        out.absolute_lift,
        num(&case["absolute_lift"]),
    );
    check_interval(
        &format!("{name} absolute_interval"),
        out.absolute_interval,
        &case["absolute_interval"],
    );
    let rel = out.relative.expect("relative lift defined");
    check(
        &format!("{name} relative_lift"),
        rel.lift,
        num(&case["relative_lift"]),
    );
    check_interval(
        &format!("{name} relative_interval"),
        rel.interval,
        &case["relative_interval"],
    );
}

fn check_sequential(
    name: &str,
    out: &FrequentistOutcome,
    variance: f64,
    n_total: u64,
    alpha: f64,
    case: &Value,
) {
    let tuning = num(&golden()["sequential_tuning_n"]);
    let h = always_valid_halfwidth(variance, n_total, alpha, tuning).unwrap();
    check_interval(
        &format!("{name} sequential_absolute"),
        Interval::new(out.absolute_lift - h, out.absolute_lift + h),
        &case["sequential_absolute_interval"],
    );
    let rel = out.relative.unwrap();
    let h = always_valid_halfwidth(rel.variance, n_total, alpha, tuning).unwrap();
    check_interval(
        &format!("{name} sequential_relative"),
        Interval::new(rel.lift - h, rel.lift + h),
        &case["sequential_relative_interval"],
    );
}

fn check_proportion_case(case: &Value) {
    let name = case["name"].as_str().unwrap();
    let alpha = num(&case["alpha"]);
    let a = ProportionStatistic::new(
        count(&case["control"]["n"]),
        count(&case["control"]["conversions"]),
    );
    let b = ProportionStatistic::new(
        count(&case["treatment"]["n"]),
        count(&case["treatment"]["conversions"]),
    );
    check(
        &format!("{name} rate_control"),
        a.rate(),
        num(&case["rate_control"]),
    );
    check(
        &format!("{name} rate_treatment"),
        b.rate(),
        num(&case["rate_treatment"]),
    );
    let out = two_proportion_z_test(&a, &b, alpha).unwrap();
    check_frequentist(name, &out, case);
    let v = a.estimate().variance_of_mean + b.estimate().variance_of_mean;
    check_sequential(name, &out, v, a.n + b.n, alpha, case);
    let bayes = beta_binomial(&a, &b).unwrap();
    check(
        &format!("{name} chance"),
        bayes.chance_to_beat_control,
        num(&case["chance_to_beat_control"]),
    );
    check(
        &format!("{name} expected_loss"),
        bayes.expected_loss,
        num(&case["expected_loss"]),
    );
    check(
        &format!("{name} expected_loss_control"),
        bayes.expected_loss_control,
        num(&case["expected_loss_control"]),
    );
}

fn check_mean_case(case: &Value) {
    let name = case["name"].as_str().unwrap();
    let alpha = num(&case["alpha"]);
    let stat = |v: &Value| {
        SampleMeanStatistic::new(count(&v["n"]), num(&v["sum"]), num(&v["sum_squares"]))
    };
    let (a, b) = (stat(&case["control"]), stat(&case["treatment"]));
    check(
        &format!("{name} mean_control"),
        a.mean(),
        num(&case["mean_control"]),
    );
    check(
        &format!("{name} mean_treatment"),
        b.mean(),
        num(&case["mean_treatment"]),
    );
    let out = welch_t_test(&a, &b, alpha).unwrap();
    check_frequentist(name, &out, case);
    let v = a.estimate().variance_of_mean + b.estimate().variance_of_mean;
    check_sequential(name, &out, v, a.n + b.n, alpha, case);
    let bayes = normal_posterior(a.estimate(), b.estimate()).unwrap();
    check(
        &format!("{name} chance"),
        bayes.chance_to_beat_control,
        num(&case["chance_to_beat_control"]),
    );
    check(
        &format!("{name} expected_loss"),
        bayes.expected_loss,
        num(&case["expected_loss"]),
    );
    check(
        &format!("{name} expected_loss_control"),
        bayes.expected_loss_control,
        num(&case["expected_loss_control"]),
    );
}

#[test]
fn two_proportion_z_tests_match_statsmodels() {
    let g = golden();
    let cases = g["proportion_cases"].as_array().unwrap();
    assert!(cases.len() >= 5);
    cases.iter().for_each(check_proportion_case);
}

#[test]
fn welch_t_tests_match_scipy_including_unequal_variances() {
    let g = golden();
    let cases = g["mean_cases"].as_array().unwrap();
    assert!(cases.iter().any(|c| c["name"] == "unequal_variances_small"));
    cases.iter().for_each(check_mean_case);
}

#[test]
fn holm_and_benjamini_hochberg_match_statsmodels_multipletests() {
    for case in golden()["multiple_cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let p: Vec<f64> = case["p_values"]
            .as_array()
            .unwrap()
            .iter()
            .map(num)
            .collect();
        for (i, (h, b)) in holm(&p).iter().zip(benjamini_hochberg(&p)).enumerate() {
            check(&format!("{name} holm[{i}]"), *h, num(&case["holm"][i]));
            check(&format!("{name} bh[{i}]"), b, num(&case["bh"][i]));
        }
    }
}

#[test]
fn sample_ratio_mismatch_matches_scipy_chisquare() {
    for case in golden()["srm_cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let counts: Vec<u64> = case["counts"]
            .as_array()
            .unwrap()
            .iter()
            .map(count)
            .collect();
        let weights: Option<Vec<f64>> = case["weights"]
            .as_array()
            .map(|w| w.iter().map(num).collect());
        let r = sample_ratio_mismatch(&counts, weights.as_deref()).unwrap();
        check(&format!("{name} chi2"), r.chi2.unwrap(), num(&case["chi2"]));
        let p = num(&case["p_value"]);
        check(&format!("{name} p_value"), r.p_value.unwrap(), p);
        assert_eq!(r.flagged, p < 0.001, "{name} flag");
    }
}

#[test]
fn sequential_half_widths_match_a_numerically_solved_mixture_martingale() {
    for case in golden()["sequential_cases"].as_array().unwrap() {
        let h = always_valid_halfwidth(
            num(&case["variance"]),
            count(&case["n_total"]),
            num(&case["alpha"]),
            num(&case["tuning_n"]),
        )
        .unwrap();
        check("sequential halfwidth", h, num(&case["halfwidth"]));
        assert!(h > num(&case["fixed_halfwidth"]));
    }
}

#[test]
fn cuped_matches_welch_on_adjusted_values() {
    for case in golden()["cuped_cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let rows = &case["rows"];
        let mut agg = RowAggregator::new(RowShape {
            converted: false,
            value: true,
            covariate: true,
        });
        let variants = rows["variant"].as_array().unwrap();
        for (i, v) in variants.iter().enumerate() {
            agg.add(&PersonRow {
                variant: v.as_str().unwrap(),
                converted: None,
                value: Some(num(&rows["value"][i])),
                covariate: Some(num(&rows["covariate"][i])),
            })
            .unwrap();
        }
        let data = agg.finish();
        let options = AnalysisOptions {
            control: Some("control".into()),
            ..AnalysisOptions::default()
        };
        let report = analyze(&data, &options).unwrap();
        let value = report.variants[1].value.as_ref().unwrap();
        check(
            &format!("{name} unadjusted p"),
            value.p_value.unwrap(),
            num(&case["unadjusted_p_value"]),
        );
        let c = value.cuped.as_ref().expect("cuped figures");
        assert!(c.neutral.is_none());
        check(
            &format!("{name} theta"),
            c.theta.unwrap(),
            num(&case["theta"]),
        );
        check(
            &format!("{name} adjusted control"),
            c.adjusted_mean_control.unwrap(),
            num(&case["adjusted_mean_control"]),
        );
        check(
            &format!("{name} adjusted treatment"),
            c.adjusted_mean.unwrap(),
            num(&case["adjusted_mean_treatment"]),
        );
        check(&format!("{name} t"), c.statistic.unwrap(), num(&case["t"]));
        check(
            &format!("{name} df"),
            c.degrees_of_freedom.unwrap(),
            num(&case["df"]),
        );
        check(
            &format!("{name} p"),
            c.p_value.unwrap(),
            num(&case["p_value"]),
        );
        check(
            &format!("{name} lift"),
            c.absolute_lift.unwrap(),
            num(&case["absolute_lift"]),
        );
        check_interval(
            &format!("{name} interval"),
            c.absolute_interval.unwrap(),
            &case["absolute_interval"],
        );
        check(
            &format!("{name} relative"),
            c.relative_lift.unwrap(),
            num(&case["relative_lift"]),
        );
        check_interval(
            &format!("{name} relative interval"),
            c.relative_interval.unwrap(),
            &case["relative_interval"],
        );
        check(
            &format!("{name} variance reduction"),
            c.variance_reduction.unwrap(),
            num(&case["variance_reduction"]),
        );
        assert!(
            c.variance_reduction.unwrap() > 0.3,
            "{name}: the covariate explains much of the value"
        );
    }
}

fn design(case: &Value) -> Design {
    let baseline = match case.get("baseline_rate") {
        Some(r) => Baseline::Rate { rate: num(r) },
        None => Baseline::Mean {
            mean: num(&case["baseline_mean"]),
            standard_deviation: num(&case["standard_deviation"]),
        },
    };
    Design {
        baseline,
        alpha: num(&case["alpha"]),
        power: num(&case["power"]),
        variants: count(&case["variants"]) as u32,
        daily_traffic: Some(1000.0),
    }
}

#[test]
fn sample_sizes_match_statsmodels_normal_ind_power() {
    for case in golden()["power_cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let plan = sample_size(&design(case), num(&case["relative_mde"])).unwrap();
        let expected = num(&case["n_per_variant"]);
        check(&format!("{name} n"), plan.n_per_variant_exact, expected);
        assert_eq!(plan.n_per_variant, expected.ceil() as u64, "{name}");
        let days = (plan.n_per_variant * count(&case["variants"])).div_ceil(1000);
        assert_eq!(plan.days, Some(days), "{name} days");
    }
}

#[test]
fn minimum_detectable_effects_match_statsmodels() {
    for case in golden()["mde_cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let plan = minimum_detectable_effect(&design(case), count(&case["n_per_variant"])).unwrap();
        check(
            &format!("{name} mde"),
            plan.relative_mde,
            num(&case["relative_mde"]),
        );
    }
}
