//! The analysis: summaries in, one [`ExperimentReport`] out.
//!
//! For every treatment and every metric present it runs the fixed-horizon
//! test, the delta-method relative lift, the Bayesian comparison, the
//! sequential interval and (with a covariate) CUPED; then it corrects the
//! p-values of each metric across treatments (Holm and BH), checks the
//! sample ratio and writes the verdict. Degenerate inputs become neutral
//! results; only input that is not data at all is an error.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::bayesian::{beta_binomial, normal_posterior, BayesianOutcome};
use crate::cuped::{self, CupedAdjustment, CupedMoments};
use crate::error::{Result, StatsError};
use crate::frequentist::{
    relative_lift, two_proportion_z_test, welch_from_estimates, welch_t_test, FrequentistOutcome,
};
use crate::input::{ExperimentData, VariantSummary};
use crate::multiple::{benjamini_hochberg, holm};
use crate::neutral::{Neutral, ReasonCode};
use crate::result::{
    finite, Comparison, CupedResult, ExperimentReport, Interval, Metric, TestKind, VariantReport,
};
use crate::sequential::always_valid_halfwidth;
use crate::srm::sample_ratio_mismatch;
use crate::statistic::{Estimate, ProportionStatistic, SampleMeanStatistic};
use crate::verdict;

/// How to analyse. `Default` gives α = 0.05, equal planned shares, a
/// sequential tuning size of 5,000 units and a minimum of 30 units per
/// variant.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct AnalysisOptions {
    /// Name of the control variant. When absent: a variant called control,
    /// a, baseline, original or default (any case), else the first one.
    pub control: Option<String>,
    pub alpha: f64,
    /// Planned traffic shares per variant, in input order, for the SRM check.
    pub srm_weights: Option<Vec<f64>>,
    /// Nobody planned the split (the arms are ad sets or campaigns a
    /// platform ran, or daily totals per campaign): the sample-ratio check
    /// has nothing to compare with and is left out, saying so.
    pub no_planned_split: bool,
    /// Total sample size (all variants) at which the sequential interval is tightest.
    pub sequential_tuning_n: f64,
    /// Below this many units in a variant a comparison is neutral (`too_few_units`).
    #[ts(type = "number")]
    pub minimum_sample_per_variant: u64,
    /// Planned units per variant; when not reached the verdict warns about peeking.
    #[ts(type = "number | null")]
    pub planned_sample_per_variant: Option<u64>,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            control: None,
            alpha: 0.05,
            srm_weights: None,
            no_planned_split: false,
            sequential_tuning_n: 5000.0,
            minimum_sample_per_variant: 30,
            planned_sample_per_variant: None,
        }
    }
}

const CONTROL_NAMES: [&str; 6] = ["control", "a", "baseline", "original", "default", "ctrl"];

/// Index of the control variant according to `options`.
pub fn control_index(data: &ExperimentData, options: &AnalysisOptions) -> Result<usize> {
    if let Some(name) = &options.control {
        return data
            .variants
            .iter()
            .position(|v| &v.name == name)
            .ok_or_else(|| {
                let names: Vec<&str> = data.variants.iter().map(|v| v.name.as_str()).collect();
                StatsError::InvalidInput(format!(
                    "no variant is named '{name}' (variants: {})",
                    names.join(", ")
                ))
            });
    }
    Ok(data
        .variants
        .iter()
        .position(|v| CONTROL_NAMES.contains(&v.name.trim().to_lowercase().as_str()))
        .unwrap_or(0))
}

/// Analyses an experiment.
pub fn analyze(data: &ExperimentData, options: &AnalysisOptions) -> Result<ExperimentReport> {
    data.validate()?;
    if !(options.alpha > 0.0 && options.alpha < 1.0) {
        return Err(StatsError::InvalidInput(format!(
            "alpha {} is not between 0 and 1",
            options.alpha
        )));
    }
    if !(options.sequential_tuning_n > 0.0 && options.sequential_tuning_n.is_finite()) {
        return Err(StatsError::InvalidInput(format!(
            "sequential tuning size {} is not a positive number",
            options.sequential_tuning_n
        )));
    }
    if data.variants.is_empty() {
        return Err(StatsError::InvalidInput(
            "the experiment has no variants".into(),
        ));
    }
    if !data.has_conversions() && !data.has_values() {
        return Err(StatsError::InvalidInput(
            "the variants have neither conversions nor values (sum and sum of squares) for every variant"
                .into(),
        ));
    }
    let control = control_index(data, options)?;
    let counts: Vec<u64> = data.variants.iter().map(|v| v.n).collect();
    let srm = if options.no_planned_split {
        crate::srm::unplanned(counts.len())
    } else {
        sample_ratio_mismatch(&counts, options.srm_weights.as_deref())?
    };

    let mut variants: Vec<VariantReport> = data
        .variants
        .iter()
        .enumerate()
        .map(|(i, v)| describe(v, i == control))
        .collect();

    let neutral = (data.variants.len() < 2).then(|| {
        Neutral::new(
            ReasonCode::OneVariant,
            "the experiment has a single variant, so there is nothing to compare it with",
        )
    });

    if neutral.is_none() {
        if data.has_conversions() {
            let cuped = conversion_cuped(data);
            for (i, v) in data.variants.iter().enumerate() {
                if i != control {
                    variants[i].conversion = Some(compare_conversions(
                        &data.variants[control],
                        v,
                        (control, i),
                        cuped.as_ref(),
                        options,
                    ));
                }
            }
            correct(&mut variants, Metric::Conversion, options.alpha);
        }
        if data.has_values() {
            let cuped = value_cuped(data);
            for (i, v) in data.variants.iter().enumerate() {
                if i != control {
                    variants[i].value = Some(compare_values(
                        &data.variants[control],
                        v,
                        (control, i),
                        cuped.as_ref(),
                        options,
                    ));
                }
            }
            correct(&mut variants, Metric::Value, options.alpha);
        }
    }

    let control_name = data.variants[control].name.clone();
    let verdict = verdict::write(&verdict::VerdictInput {
        control: &control_name,
        variants: &variants,
        srm: &srm,
        experiment_neutral: neutral.as_ref(),
        options,
        conversion_label: data.conversion_metric.as_deref(),
        value_label: data.value_metric.as_deref(),
    });
    Ok(ExperimentReport {
        control: control_name,
        alpha: options.alpha,
        sequential_tuning_n: options.sequential_tuning_n,
        variants,
        srm,
        verdict,
        neutral,
    })
}

fn describe(v: &VariantSummary, is_control: bool) -> VariantReport {
    let rate = v
        .conversions
        .filter(|_| v.n > 0)
        .map(|c| ProportionStatistic::new(v.n, c).rate());
    let means = match (v.sum, v.sum_squares) {
        (Some(s), Some(q)) if v.n > 0 => Some(SampleMeanStatistic::new(v.n, s, q)),
        _ => None,
    };
    VariantReport {
        name: v.name.clone(),
        is_control,
        n: v.n,
        conversions: v.conversions,
        rate: rate.and_then(finite),
        mean: means.and_then(|m| finite(m.mean())),
        standard_deviation: means
            .filter(|m| m.n >= 2)
            .and_then(|m| finite(m.sample_variance().sqrt())),
        conversion: None,
        value: None,
    }
}

fn empty_comparison(metric: Metric, test: TestKind) -> Comparison {
    Comparison {
        metric,
        test,
        absolute_lift: None,
        absolute_interval: None,
        relative_lift: None,
        relative_interval: None,
        statistic: None,
        degrees_of_freedom: None,
        p_value: None,
        p_value_holm: None,
        p_value_bh: None,
        significant: false,
        chance_to_beat_control: None,
        expected_loss: None,
        expected_loss_control: None,
        sequential_absolute_interval: None,
        sequential_relative_interval: None,
        cuped: None,
        neutral: None,
    }
}

fn minimum_sample(
    control: &VariantSummary,
    treatment: &VariantSummary,
    minimum: u64,
) -> Option<Neutral> {
    let small = [control, treatment].into_iter().find(|v| v.n < minimum)?;
    let code = if small.n == 0 {
        ReasonCode::EmptyVariant
    } else {
        ReasonCode::TooFewUnits
    };
    Some(Neutral::new(
        code,
        format!(
            "variant '{}' has {} units; at least {minimum} per variant are needed before comparing",
            small.name, small.n
        ),
    ))
}

/// Point estimates of the lift, shown even when a comparison is neutral.
fn point_lifts(c: &mut Comparison, control: Estimate, treatment: Estimate) {
    if control.n > 0 && treatment.n > 0 {
        c.absolute_lift = finite(treatment.mean - control.mean);
        if control.mean != 0.0 {
            c.relative_lift = finite(treatment.mean / control.mean - 1.0);
        }
    }
}

fn fill_frequentist(c: &mut Comparison, out: &FrequentistOutcome) {
    c.absolute_lift = finite(out.absolute_lift);
    c.absolute_interval = out.absolute_interval.finite();
    c.statistic = finite(out.statistic);
    c.degrees_of_freedom = out.degrees_of_freedom.and_then(finite);
    c.p_value = finite(out.p_value);
    c.relative_lift = out.relative.and_then(|r| finite(r.lift));
    c.relative_interval = out.relative.and_then(|r| r.interval.finite());
}

fn fill_bayesian(c: &mut Comparison, out: &BayesianOutcome) {
    c.chance_to_beat_control = finite(out.chance_to_beat_control);
    c.expected_loss = finite(out.expected_loss);
    c.expected_loss_control = finite(out.expected_loss_control);
}

fn fill_sequential(
    c: &mut Comparison,
    control: Estimate,
    treatment: Estimate,
    out: &FrequentistOutcome,
    options: &AnalysisOptions,
) {
    let n_total = control.n + treatment.n;
    let tuning = options.sequential_tuning_n;
    let v = control.variance_of_mean + treatment.variance_of_mean;
    c.sequential_absolute_interval = always_valid_halfwidth(v, n_total, options.alpha, tuning)
        .and_then(|h| Interval::new(out.absolute_lift - h, out.absolute_lift + h).finite());
    c.sequential_relative_interval = out.relative.and_then(|r| {
        always_valid_halfwidth(r.variance, n_total, options.alpha, tuning)
            .and_then(|h| Interval::new(r.lift - h, r.lift + h).finite())
    });
}

fn compare_conversions(
    control: &VariantSummary,
    treatment: &VariantSummary,
    (ci, ti): (usize, usize),
    cuped: Option<&std::result::Result<CupedAdjustment, Neutral>>,
    options: &AnalysisOptions,
) -> Comparison {
    let a = ProportionStatistic::new(control.n, control.conversions.unwrap_or(0));
    let b = ProportionStatistic::new(treatment.n, treatment.conversions.unwrap_or(0));
    let mut c = empty_comparison(Metric::Conversion, TestKind::TwoProportionZ);
    point_lifts(&mut c, a.estimate(), b.estimate());
    if let Some(n) = minimum_sample(control, treatment, options.minimum_sample_per_variant) {
        c.neutral = Some(n);
        return c;
    }
    match two_proportion_z_test(&a, &b, options.alpha) {
        Err(n) => c.neutral = Some(n),
        Ok(out) => {
            fill_frequentist(&mut c, &out);
            fill_sequential(&mut c, a.estimate(), b.estimate(), &out, options);
            match beta_binomial(&a, &b) {
                Ok(bayes) => fill_bayesian(&mut c, &bayes),
                Err(n) => c.neutral = Some(n),
            }
            c.cuped = cuped.map(|adj| cuped_result(adj, ci, ti, options.alpha));
        }
    }
    c
}

fn compare_values(
    control: &VariantSummary,
    treatment: &VariantSummary,
    (ci, ti): (usize, usize),
    cuped: Option<&std::result::Result<CupedAdjustment, Neutral>>,
    options: &AnalysisOptions,
) -> Comparison {
    let stat = |v: &VariantSummary| {
        SampleMeanStatistic::new(v.n, v.sum.unwrap_or(0.0), v.sum_squares.unwrap_or(0.0))
    };
    let (a, b) = (stat(control), stat(treatment));
    let mut c = empty_comparison(Metric::Value, TestKind::WelchT);
    point_lifts(&mut c, a.estimate(), b.estimate());
    if let Some(n) = minimum_sample(control, treatment, options.minimum_sample_per_variant) {
        c.neutral = Some(n);
        return c;
    }
    match welch_t_test(&a, &b, options.alpha) {
        Err(n) => c.neutral = Some(n),
        Ok(out) => {
            fill_frequentist(&mut c, &out);
            fill_sequential(&mut c, a.estimate(), b.estimate(), &out, options);
            match normal_posterior(a.estimate(), b.estimate()) {
                Ok(bayes) => fill_bayesian(&mut c, &bayes),
                Err(n) => c.neutral = Some(n),
            }
            c.cuped = cuped.map(|adj| cuped_result(adj, ci, ti, options.alpha));
        }
    }
    c
}

fn conversion_cuped(
    data: &ExperimentData,
) -> Option<std::result::Result<CupedAdjustment, Neutral>> {
    let moments: Option<Vec<CupedMoments>> = data
        .variants
        .iter()
        .map(|v| {
            let cov = v.covariate.as_ref()?;
            let conversions = v.conversions? as f64;
            Some(CupedMoments {
                n: v.n,
                sum_y: conversions,
                sum_yy: conversions,
                sum_x: cov.sum,
                sum_xx: cov.sum_squares,
                sum_xy: cov.conversion_products?,
            })
        })
        .collect();
    moments.map(|m| cuped::adjust(&m))
}

fn value_cuped(data: &ExperimentData) -> Option<std::result::Result<CupedAdjustment, Neutral>> {
    let moments: Option<Vec<CupedMoments>> = data
        .variants
        .iter()
        .map(|v| {
            let cov = v.covariate.as_ref()?;
            Some(CupedMoments {
                n: v.n,
                sum_y: v.sum?,
                sum_yy: v.sum_squares?,
                sum_x: cov.sum,
                sum_xx: cov.sum_squares,
                sum_xy: cov.value_products?,
            })
        })
        .collect();
    moments.map(|m| cuped::adjust(&m))
}

fn cuped_result(
    adjustment: &std::result::Result<CupedAdjustment, Neutral>,
    control: usize,
    treatment: usize,
    alpha: f64,
) -> CupedResult {
    let mut r = CupedResult {
        theta: None,
        adjusted_mean_control: None,
        adjusted_mean: None,
        absolute_lift: None,
        absolute_interval: None,
        relative_lift: None,
        relative_interval: None,
        statistic: None,
        degrees_of_freedom: None,
        p_value: None,
        variance_reduction: None,
        neutral: None,
    };
    let adj = match adjustment {
        Ok(adj) => adj,
        Err(n) => {
            r.neutral = Some(n.clone());
            return r;
        }
    };
    let (a, b) = (adj.adjusted[control], adj.adjusted[treatment]);
    r.theta = finite(adj.theta);
    r.adjusted_mean_control = finite(a.mean);
    r.adjusted_mean = finite(b.mean);
    match welch_from_estimates(a, b, alpha) {
        Err(n) => r.neutral = Some(n),
        Ok(out) => {
            r.absolute_lift = finite(out.absolute_lift);
            r.absolute_interval = out.absolute_interval.finite();
            r.statistic = finite(out.statistic);
            r.degrees_of_freedom = out.degrees_of_freedom.and_then(finite);
            r.p_value = finite(out.p_value);
            let rel = relative_lift(a, b, out.critical_value);
            r.relative_lift = rel.and_then(|x| finite(x.lift));
            r.relative_interval = rel.and_then(|x| x.interval.finite());
            let before = adj.unadjusted[control].variance_of_mean
                + adj.unadjusted[treatment].variance_of_mean;
            let after = a.variance_of_mean + b.variance_of_mean;
            if before > 0.0 {
                r.variance_reduction = finite(1.0 - after / before);
            }
        }
    }
    r
}

/// Fills Holm and BH p-values over the treatments of one metric.
fn correct(variants: &mut [VariantReport], metric: Metric, alpha: f64) {
    fn slot(v: &mut VariantReport, metric: Metric) -> Option<&mut Comparison> {
        match metric {
            Metric::Conversion => v.conversion.as_mut(),
            Metric::Value => v.value.as_mut(),
        }
    }
    let mut indices = Vec::new();
    let mut p_values = Vec::new();
    for (i, v) in variants.iter_mut().enumerate() {
        if let Some(p) = slot(v, metric).and_then(|c| c.p_value) {
            indices.push(i);
            p_values.push(p);
        }
    }
    let holm = holm(&p_values);
    let bh = benjamini_hochberg(&p_values);
    for (k, &i) in indices.iter().enumerate() {
        if let Some(c) = slot(&mut variants[i], metric) {
            c.p_value_holm = finite(holm[k]);
            c.p_value_bh = finite(bh[k]);
            c.significant = holm[k] < alpha;
        }
    }
}
