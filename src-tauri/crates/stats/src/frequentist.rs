//! Frequentist tests: two-proportion z-test, Welch's t-test, and the
//! delta-method interval of the relative lift.
//!
//! Conventions (the same as scipy/statsmodels, which the golden tests use):
//! - the z-test statistic uses the pooled rate under H0 (statsmodels
//!   `proportions_ztest`); its interval for the difference is the unpooled
//!   Wald interval (`confint_proportions_2indep(method="wald")`);
//! - Welch's test uses the Welch–Satterthwaite degrees of freedom, and its
//!   interval the Student t quantile with those degrees of freedom
//!   (`scipy.stats.ttest_ind(equal_var=False)`, `CompareMeans.tconfint_diff`);
//! - the relative lift b/a − 1 has variance V_b/a² + b²·V_a/a⁴ (first-order
//!   delta method, independent groups) and uses the same critical value as the
//!   test it accompanies (normal for the z-test, t for Welch).
//!
//! Every function returns a [`Neutral`] instead of a NaN when the inputs
//! cannot support a test.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

use crate::neutral::{Neutral, ReasonCode};
use crate::result::Interval;
use crate::statistic::{Estimate, ProportionStatistic, SampleMeanStatistic};

/// The numbers a fixed-horizon test produces for treatment vs control.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrequentistOutcome {
    /// z or t.
    pub statistic: f64,
    /// Welch–Satterthwaite degrees of freedom; `None` for the z-test.
    pub degrees_of_freedom: Option<f64>,
    pub p_value: f64,
    pub absolute_lift: f64,
    pub absolute_interval: Interval,
    /// `None` when the control's rate or mean is zero.
    pub relative: Option<RelativeLift>,
    /// Critical value used for the intervals (z or t quantile at 1 − α/2).
    pub critical_value: f64,
}

/// Relative lift b/a − 1 with its delta-method variance and interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RelativeLift {
    pub lift: f64,
    pub variance: f64,
    pub interval: Interval,
}

fn standard_normal() -> Normal {
    Normal::standard()
}

/// z quantile at 1 − α/2.
pub(crate) fn normal_critical(alpha: f64) -> f64 {
    standard_normal().inverse_cdf(1.0 - alpha / 2.0)
}

/// Two-sided p-value of a standard-normal statistic, computed from the upper
/// tail so that tiny p-values keep their precision.
pub(crate) fn normal_two_sided_p(z: f64) -> f64 {
    (2.0 * standard_normal().sf(z.abs())).min(1.0)
}

/// Delta-method relative lift of `treatment` over `control`.
pub fn relative_lift(
    control: Estimate,
    treatment: Estimate,
    critical_value: f64,
) -> Option<RelativeLift> {
    let a = control.mean;
    let b = treatment.mean;
    if a == 0.0 || !a.is_finite() || !b.is_finite() {
        return None;
    }
    let lift = b / a - 1.0;
    let variance =
        treatment.variance_of_mean / (a * a) + b * b * control.variance_of_mean / (a * a * a * a);
    if !variance.is_finite() || !lift.is_finite() {
        return None;
    }
    let half = critical_value * variance.sqrt();
    Some(RelativeLift {
        lift,
        variance,
        interval: Interval::new(lift - half, lift + half),
    })
}

fn check_sizes(control_n: u64, treatment_n: u64) -> Result<(), Neutral> {
    if control_n == 0 || treatment_n == 0 {
        return Err(Neutral::new(
            ReasonCode::EmptyVariant,
            "a variant has no units yet, so there is nothing to compare",
        ));
    }
    if control_n < 2 || treatment_n < 2 {
        return Err(Neutral::new(
            ReasonCode::TooFewUnits,
            "a variant has fewer than 2 units, too few for any test",
        ));
    }
    Ok(())
}

/// Two-proportion z-test of treatment vs control (two-sided).
pub fn two_proportion_z_test(
    control: &ProportionStatistic,
    treatment: &ProportionStatistic,
    alpha: f64,
) -> Result<FrequentistOutcome, Neutral> {
    check_sizes(control.n, treatment.n)?;
    let (na, nb) = (control.n as f64, treatment.n as f64);
    let pooled = (control.conversions + treatment.conversions) as f64 / (na + nb);
    if pooled == 0.0 {
        return Err(Neutral::new(
            ReasonCode::NoConversions,
            "no conversions in either variant yet, so the rates cannot be compared",
        ));
    }
    if pooled == 1.0 {
        return Err(Neutral::new(
            ReasonCode::AllConverted,
            "every unit converted in both variants, so the rates cannot differ",
        ));
    }
    let a = control.estimate();
    let b = treatment.estimate();
    let diff = b.mean - a.mean;
    let pooled_se = (pooled * (1.0 - pooled) * (1.0 / na + 1.0 / nb)).sqrt();
    let z = diff / pooled_se;
    let crit = normal_critical(alpha);
    let half = crit * (a.variance_of_mean + b.variance_of_mean).sqrt();
    Ok(FrequentistOutcome {
        statistic: z,
        degrees_of_freedom: None,
        p_value: normal_two_sided_p(z),
        absolute_lift: diff,
        absolute_interval: Interval::new(diff - half, diff + half),
        relative: relative_lift(a, b, crit),
        critical_value: crit,
    })
}

/// Welch's unequal-variance t-test of treatment vs control (two-sided).
pub fn welch_t_test(
    control: &SampleMeanStatistic,
    treatment: &SampleMeanStatistic,
    alpha: f64,
) -> Result<FrequentistOutcome, Neutral> {
    check_sizes(control.n, treatment.n)?;
    welch_from_estimates(control.estimate(), treatment.estimate(), alpha)
}

/// Welch's test on two estimates; also used for CUPED-adjusted estimates.
pub fn welch_from_estimates(
    a: Estimate,
    b: Estimate,
    alpha: f64,
) -> Result<FrequentistOutcome, Neutral> {
    check_sizes(a.n, b.n)?;
    let (va, vb) = (a.variance_of_mean, b.variance_of_mean);
    let total = va + vb;
    if total.is_nan() || total <= 0.0 {
        return Err(Neutral::new(
            ReasonCode::ZeroVariance,
            "every unit has the same value in both variants, so there is no variation to test",
        ));
    }
    let df = total * total / (va * va / (a.n as f64 - 1.0) + vb * vb / (b.n as f64 - 1.0));
    let diff = b.mean - a.mean;
    let t = diff / total.sqrt();
    // Degrees of freedom are finite and ≥ 1 here; `new` only fails on NaN.
    let dist = StudentsT::new(0.0, 1.0, df).map_err(|_| {
        Neutral::new(
            ReasonCode::ZeroVariance,
            "the variance of the means could not be estimated",
        )
    })?;
    let p_value = (2.0 * dist.sf(t.abs())).min(1.0);
    let crit = dist.inverse_cdf(1.0 - alpha / 2.0);
    let half = crit * total.sqrt();
    Ok(FrequentistOutcome {
        statistic: t,
        degrees_of_freedom: Some(df),
        p_value,
        absolute_lift: diff,
        absolute_interval: Interval::new(diff - half, diff + half),
        relative: relative_lift(a, b, crit),
        critical_value: crit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_conversions_is_neutral_not_nan() {
        let a = ProportionStatistic::new(1000, 0);
        let b = ProportionStatistic::new(1000, 0);
        let n = two_proportion_z_test(&a, &b, 0.05).unwrap_err();
        assert_eq!(n.reason_code, ReasonCode::NoConversions);
    }

    #[test]
    fn all_converted_is_neutral() {
        let a = ProportionStatistic::new(10, 10);
        let b = ProportionStatistic::new(12, 12);
        let n = two_proportion_z_test(&a, &b, 0.05).unwrap_err();
        assert_eq!(n.reason_code, ReasonCode::AllConverted);
    }

    #[test]
    fn zero_variance_means_are_neutral() {
        let a = SampleMeanStatistic::new(50, 150.0, 450.0);
        let b = SampleMeanStatistic::new(60, 180.0, 540.0);
        let n = welch_t_test(&a, &b, 0.05).unwrap_err();
        assert_eq!(n.reason_code, ReasonCode::ZeroVariance);
    }

    #[test]
    fn a_single_unit_is_too_few() {
        let a = SampleMeanStatistic::new(1, 3.0, 9.0);
        let b = SampleMeanStatistic::new(60, 180.0, 600.0);
        let n = welch_t_test(&a, &b, 0.05).unwrap_err();
        assert_eq!(n.reason_code, ReasonCode::TooFewUnits);
        let n = welch_t_test(&SampleMeanStatistic::new(0, 0.0, 0.0), &b, 0.05).unwrap_err();
        assert_eq!(n.reason_code, ReasonCode::EmptyVariant);
    }

    #[test]
    fn zero_control_rate_has_no_relative_lift_but_a_test() {
        let a = ProportionStatistic::new(500, 0);
        let b = ProportionStatistic::new(500, 9);
        let out = two_proportion_z_test(&a, &b, 0.05).unwrap();
        assert!(out.relative.is_none());
        assert!(out.p_value > 0.0 && out.p_value < 0.01);
        assert!(out.absolute_interval.lower.is_finite());
    }
}
