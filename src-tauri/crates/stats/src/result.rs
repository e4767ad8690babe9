//! The result types: what `rebound experiment analyze --json` prints and what
//! the UI receives.
//!
//! Shape rules: every f64 is finite (a number that is undefined is `None`,
//! serialised as `null`); every missing inference comes with a
//! [`Neutral`] saying why. Field names are the words of the README's JSON
//! section; TypeScript types are generated from these with ts-rs.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::neutral::Neutral;
use crate::srm::SrmResult;
use crate::verdict::Verdict;

/// A closed interval [lower, upper].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct Interval {
    pub lower: f64,
    pub upper: f64,
}

impl Interval {
    pub fn new(lower: f64, upper: f64) -> Self {
        Interval { lower, upper }
    }

    pub fn contains(&self, x: f64) -> bool {
        self.lower <= x && x <= self.upper
    }

    pub(crate) fn finite(self) -> Option<Self> {
        (self.lower.is_finite() && self.upper.is_finite()).then_some(self)
    }
}

/// Which metric a comparison is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Share of units that converted.
    Conversion,
    /// Mean of a numeric value per unit (revenue, rounds played, ...).
    Value,
}

/// Which fixed-horizon test produced the p-value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TestKind {
    TwoProportionZ,
    WelchT,
}

/// The whole analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExperimentReport {
    /// Name of the control variant.
    pub control: String,
    /// Significance level used for intervals and decisions (e.g. 0.05).
    pub alpha: f64,
    /// Sample size at which the sequential interval is tightest.
    pub sequential_tuning_n: f64,
    /// Every variant, control included, in input order.
    pub variants: Vec<VariantReport>,
    pub srm: SrmResult,
    pub verdict: Verdict,
    /// Set when the experiment as a whole cannot be analysed (one variant).
    pub neutral: Option<Neutral>,
}

/// One variant: its descriptive numbers and, for treatments, its comparison
/// with the control on each metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct VariantReport {
    pub name: String,
    pub is_control: bool,
    #[ts(type = "number")]
    pub n: u64,
    #[ts(type = "number | null")]
    pub conversions: Option<u64>,
    /// conversions / n.
    pub rate: Option<f64>,
    /// Mean of the value metric.
    pub mean: Option<f64>,
    /// Sample standard deviation of the value metric.
    pub standard_deviation: Option<f64>,
    /// Conversion-rate comparison with control (treatments only).
    pub conversion: Option<Comparison>,
    /// Value-mean comparison with control (treatments only).
    pub value: Option<Comparison>,
}

/// One treatment vs the control on one metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Comparison {
    pub metric: Metric,
    pub test: TestKind,
    /// Treatment − control, in the metric's units (rate points or value).
    pub absolute_lift: Option<f64>,
    pub absolute_interval: Option<Interval>,
    /// Treatment / control − 1.
    pub relative_lift: Option<f64>,
    /// Delta-method interval of the relative lift.
    pub relative_interval: Option<Interval>,
    /// z or t.
    pub statistic: Option<f64>,
    pub degrees_of_freedom: Option<f64>,
    pub p_value: Option<f64>,
    /// Holm-adjusted over all treatments of this metric.
    pub p_value_holm: Option<f64>,
    /// Benjamini–Hochberg-adjusted over all treatments of this metric.
    pub p_value_bh: Option<f64>,
    /// Holm-adjusted p-value below alpha.
    pub significant: bool,
    pub chance_to_beat_control: Option<f64>,
    /// Expected shortfall, in metric units, if this variant ships and is worse.
    pub expected_loss: Option<f64>,
    /// Expected shortfall, in metric units, if the control stays and is worse.
    pub expected_loss_control: Option<f64>,
    /// Always-valid interval of the absolute lift (valid under peeking).
    pub sequential_absolute_interval: Option<Interval>,
    /// Always-valid interval of the relative lift.
    pub sequential_relative_interval: Option<Interval>,
    /// CUPED-adjusted figures, when a pre-period covariate exists.
    pub cuped: Option<CupedResult>,
    /// Set when the comparison carries no inference, and why.
    pub neutral: Option<Neutral>,
}

/// The same comparison after CUPED adjustment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CupedResult {
    pub theta: Option<f64>,
    pub adjusted_mean_control: Option<f64>,
    pub adjusted_mean: Option<f64>,
    pub absolute_lift: Option<f64>,
    pub absolute_interval: Option<Interval>,
    pub relative_lift: Option<f64>,
    pub relative_interval: Option<Interval>,
    pub statistic: Option<f64>,
    pub degrees_of_freedom: Option<f64>,
    pub p_value: Option<f64>,
    /// 1 − Var(adjusted difference) / Var(unadjusted difference).
    pub variance_reduction: Option<f64>,
    pub neutral: Option<Neutral>,
}

/// `Some(x)` when `x` is finite: the one gate every float passes on its way
/// into a result.
pub(crate) fn finite(x: f64) -> Option<f64> {
    x.is_finite().then_some(x)
}
