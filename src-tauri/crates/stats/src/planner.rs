//! The planner: how many people, how small an effect, how many days.
//!
//! Power of a two-sided test of treatment vs control with n units per
//! variant (the normal approximation statsmodels' `NormalIndPower` uses,
//! both tails counted):
//!
//! power(d, n) = Φ(d·√(n/2) − z) + Φ(−d·√(n/2) − z),  z = Φ⁻¹(1 − α'/2)
//!
//! with the standardised effect d = Δ / σ̄:
//! - rates: Δ = p·r (r the relative MDE), σ̄ = √((p(1−p) + p₂(1−p₂))/2), p₂ = p(1+r),
//!   so d·√(n/2) is Δ over the unpooled standard error of the difference;
//! - means: Δ = μ·r, σ̄ = the standard deviation (assumed equal in all variants).
//!
//! With k variants there are k−1 comparisons with the control; α is split
//! Bonferroni-style, α' = α/(k−1), which is what Holm needs in the worst case.
//! The sample size is the n solving power(d, n) = target (found by bisection,
//! reported exactly and rounded up); the MDE is the smallest positive r whose
//! power reaches the target at the given n. Duration is total units / daily
//! traffic, rounded up to whole days.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, Normal};
use ts_rs::TS;

use crate::error::{Result, StatsError};

/// What the metric looks like today.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Baseline {
    /// A conversion rate between 0 and 1.
    Rate { rate: f64 },
    /// A mean value and its per-unit standard deviation.
    Mean { mean: f64, standard_deviation: f64 },
}

/// The shared design parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct Design {
    pub baseline: Baseline,
    /// Overall significance level (before splitting over comparisons).
    pub alpha: f64,
    /// Target power, e.g. 0.8.
    pub power: f64,
    /// Number of variants including the control (≥ 2).
    pub variants: u32,
    /// Eligible units entering the experiment per day (all variants together).
    pub daily_traffic: Option<f64>,
}

/// Sample size for a given relative MDE.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SamplePlan {
    pub relative_mde: f64,
    /// The exact solution of power(n) = target.
    pub n_per_variant_exact: f64,
    /// Rounded up.
    #[ts(type = "number")]
    pub n_per_variant: u64,
    #[ts(type = "number")]
    pub total: u64,
    /// α per comparison after the Bonferroni split.
    pub alpha_per_comparison: f64,
    #[ts(type = "number | null")]
    pub days: Option<u64>,
}

/// Smallest relative effect detectable with a given sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MdePlan {
    #[ts(type = "number")]
    pub n_per_variant: u64,
    pub relative_mde: f64,
    /// The same effect in the metric's units (rate points or value).
    pub absolute_mde: f64,
    pub alpha_per_comparison: f64,
    #[ts(type = "number | null")]
    pub days: Option<u64>,
}

fn validate(design: &Design) -> Result<()> {
    let bad = |m: String| Err(StatsError::InvalidPlan(m));
    match design.baseline {
        Baseline::Rate { rate } if !(rate > 0.0 && rate < 1.0) => {
            return bad(format!("baseline rate {rate} is not between 0 and 1"))
        }
        Baseline::Mean {
            mean,
            standard_deviation,
        } if !(mean.is_finite() && mean != 0.0 && standard_deviation > 0.0 && standard_deviation.is_finite()) => {
            return bad(format!(
                "baseline mean {mean} with standard deviation {standard_deviation} cannot be planned (the mean must be non-zero and the standard deviation positive)"
            ))
        }
        _ => {}
    }
    if !(design.alpha > 0.0 && design.alpha < 1.0) {
        return bad(format!("alpha {} is not between 0 and 1", design.alpha));
    }
    if !(design.power > 0.0 && design.power < 1.0) {
        return bad(format!("power {} is not between 0 and 1", design.power));
    }
    if design.variants < 2 {
        return bad(format!(
            "{} variant(s): an experiment needs a control and at least one treatment",
            design.variants
        ));
    }
    if let Some(t) = design.daily_traffic {
        if !(t > 0.0 && t.is_finite()) {
            return bad(format!("daily traffic {t} is not a positive number"));
        }
    }
    Ok(())
}

fn alpha_per_comparison(design: &Design) -> f64 {
    design.alpha / (design.variants - 1) as f64
}

/// Standardised effect size d for a relative lift r; `None` if r is impossible.
fn effect_size(baseline: Baseline, r: f64) -> Option<f64> {
    match baseline {
        Baseline::Rate { rate: p } => {
            let p2 = p * (1.0 + r);
            if !(p2 > 0.0 && p2 < 1.0) {
                return None;
            }
            Some((p2 - p) / ((p * (1.0 - p) + p2 * (1.0 - p2)) / 2.0).sqrt())
        }
        Baseline::Mean {
            mean,
            standard_deviation,
        } => Some(mean * r / standard_deviation),
    }
}

/// Two-sided power with n units per variant (statsmodels' `normal_power`).
pub fn power(d: f64, n_per_variant: f64, alpha: f64) -> f64 {
    let std = Normal::standard();
    let crit = std.inverse_cdf(1.0 - alpha / 2.0);
    let shift = d.abs() * (n_per_variant / 2.0).sqrt();
    std.sf(crit - shift) + std.cdf(-crit - shift)
}

/// Days needed for `total` units at `daily_traffic` per day.
pub fn duration_days(total: u64, daily_traffic: f64) -> Option<u64> {
    (daily_traffic > 0.0 && daily_traffic.is_finite())
        .then(|| (total as f64 / daily_traffic).ceil() as u64)
}

/// Units per variant needed to detect `relative_mde` with the design's power.
pub fn sample_size(design: &Design, relative_mde: f64) -> Result<SamplePlan> {
    validate(design)?;
    if !(relative_mde.is_finite() && relative_mde != 0.0) {
        return Err(StatsError::InvalidPlan(format!(
            "minimum detectable effect {relative_mde} is not a non-zero number"
        )));
    }
    let d = effect_size(design.baseline, relative_mde).ok_or_else(|| {
        StatsError::InvalidPlan(format!(
            "a relative effect of {relative_mde} takes the baseline rate outside 0 to 1"
        ))
    })?;
    let alpha = alpha_per_comparison(design);
    let target = design.power;
    // power(n) increases with n: double until it passes the target, then bisect.
    let (mut lo, mut hi) = (1e-9_f64, 1.0_f64);
    while power(d, hi, alpha) < target {
        lo = hi;
        hi *= 2.0;
        if hi > 1e15 {
            return Err(StatsError::InvalidPlan(format!(
                "an effect of {relative_mde} is too small to detect with any realistic sample"
            )));
        }
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if power(d, mid, alpha) < target {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-12 * hi {
            break;
        }
    }
    let exact = 0.5 * (lo + hi);
    let n = exact.ceil() as u64;
    let total = n * design.variants as u64;
    Ok(SamplePlan {
        relative_mde,
        n_per_variant_exact: exact,
        n_per_variant: n,
        total,
        alpha_per_comparison: alpha,
        days: design.daily_traffic.and_then(|t| duration_days(total, t)),
    })
}

/// Smallest positive relative effect detectable with `n_per_variant` units.
pub fn minimum_detectable_effect(design: &Design, n_per_variant: u64) -> Result<MdePlan> {
    validate(design)?;
    if n_per_variant < 2 {
        return Err(StatsError::InvalidPlan(format!(
            "{n_per_variant} units per variant cannot detect anything"
        )));
    }
    let alpha = alpha_per_comparison(design);
    let n = n_per_variant as f64;
    let target = design.power;
    let upper = match design.baseline {
        // the treatment rate cannot reach 1
        Baseline::Rate { rate } => (1.0 - rate) / rate * (1.0 - 1e-12),
        Baseline::Mean { .. } => {
            let mut hi = 1.0;
            while power(effect_size(design.baseline, hi).unwrap_or(0.0), n, alpha) < target {
                hi *= 2.0;
                if hi > 1e12 {
                    break;
                }
            }
            hi
        }
    };
    let power_at = |r: f64| power(effect_size(design.baseline, r).unwrap_or(0.0), n, alpha);
    if power_at(upper) < target {
        return Err(StatsError::InvalidPlan(format!(
            "{n_per_variant} units per variant cannot reach {:.0}% power for any possible lift",
            100.0 * target
        )));
    }
    let (mut lo, mut hi) = (0.0_f64, upper);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if power_at(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo <= 1e-14 * hi {
            break;
        }
    }
    let relative_mde = 0.5 * (lo + hi);
    let absolute_mde = match design.baseline {
        Baseline::Rate { rate } => rate * relative_mde,
        Baseline::Mean { mean, .. } => (mean * relative_mde).abs(),
    };
    let total = n_per_variant * design.variants as u64;
    Ok(MdePlan {
        n_per_variant,
        relative_mde,
        absolute_mde,
        alpha_per_comparison: alpha,
        days: design.daily_traffic.and_then(|t| duration_days(total, t)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn design(baseline: Baseline) -> Design {
        Design {
            baseline,
            alpha: 0.05,
            power: 0.8,
            variants: 2,
            daily_traffic: Some(1000.0),
        }
    }

    #[test]
    fn sample_size_and_mde_invert_each_other() {
        let d = design(Baseline::Rate { rate: 0.1 });
        let plan = sample_size(&d, 0.1).unwrap();
        let mde = minimum_detectable_effect(&d, plan.n_per_variant).unwrap();
        assert!(mde.relative_mde <= 0.1 && mde.relative_mde > 0.0999);
        assert_eq!(plan.days, Some((plan.total as f64 / 1000.0).ceil() as u64));
    }

    #[test]
    fn impossible_designs_are_refused_with_a_reason() {
        let e = sample_size(&design(Baseline::Rate { rate: 1.5 }), 0.1).unwrap_err();
        assert_eq!(
            e.to_string(),
            "cannot plan experiment: baseline rate 1.5 is not between 0 and 1"
        );
        let e = sample_size(&design(Baseline::Rate { rate: 0.6 }), 1.0).unwrap_err();
        assert!(e.to_string().contains("outside 0 to 1"));
        let mut one = design(Baseline::Rate { rate: 0.1 });
        one.variants = 1;
        assert!(sample_size(&one, 0.1).is_err());
    }

    #[test]
    fn duration_rounds_up_to_whole_days() {
        assert_eq!(duration_days(10_001, 1000.0), Some(11));
        assert_eq!(duration_days(10_000, 1000.0), Some(10));
        assert_eq!(duration_days(10, 0.0), None);
    }
}
