//! CUPED: variance reduction with a pre-period covariate (Deng, Xu, Kohavi
//! and Walker, 2013).
//!
//! Each unit's outcome y is replaced by y − θ(x − x̄), where x is the same
//! unit's pre-period value and x̄ its mean over all units of the experiment.
//! θ = cov(y, x) / var(x) is estimated on all units pooled (randomisation makes
//! x independent of the variant, so pooling is unbiased). The adjustment
//! removes the part of y that was predictable before the experiment; the
//! difference in means is unchanged in expectation but its variance shrinks
//! by about ρ(y, x)².
//!
//! Everything is computed from moments (Σx, Σx², Σxy per variant), so the
//! aggregates form works too. θ is treated as known, as in the CUPED paper;
//! the adjusted means are then compared with Welch's t-test. The result is
//! the same as running `scipy.stats.ttest_ind(equal_var=False)` on the
//! adjusted per-person values.

use crate::neutral::{Neutral, ReasonCode};
use crate::statistic::Estimate;

/// Moments of outcome y and covariate x for one variant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CupedMoments {
    pub n: u64,
    pub sum_y: f64,
    pub sum_yy: f64,
    pub sum_x: f64,
    pub sum_xx: f64,
    pub sum_xy: f64,
}

/// θ and the adjusted estimate of every variant, in input order.
#[derive(Debug, Clone, PartialEq)]
pub struct CupedAdjustment {
    pub theta: f64,
    pub adjusted: Vec<Estimate>,
    pub unadjusted: Vec<Estimate>,
}

/// Computes θ on all variants pooled and each variant's adjusted estimate.
pub fn adjust(variants: &[CupedMoments]) -> Result<CupedAdjustment, Neutral> {
    let n: f64 = variants.iter().map(|v| v.n as f64).sum();
    if variants.iter().any(|v| v.n < 2) {
        return Err(Neutral::new(
            ReasonCode::TooFewUnits,
            "CUPED needs at least 2 units with a pre-period value in every variant",
        ));
    }
    let sx: f64 = variants.iter().map(|v| v.sum_x).sum();
    let sy: f64 = variants.iter().map(|v| v.sum_y).sum();
    let sxx: f64 = variants.iter().map(|v| v.sum_xx).sum();
    let sxy: f64 = variants.iter().map(|v| v.sum_xy).sum();
    let var_x_total = sxx - sx * sx / n;
    let cov_total = sxy - sx * sy / n;
    if var_x_total.is_nan() || var_x_total <= 1e-12 * sxx.abs().max(1.0) {
        return Err(Neutral::new(
            ReasonCode::UnusableCovariate,
            "the pre-period covariate has the same value for everyone, so it cannot reduce variance",
        ));
    }
    let theta = cov_total / var_x_total;
    let x_bar = sx / n;
    let mut adjusted = Vec::with_capacity(variants.len());
    let mut unadjusted = Vec::with_capacity(variants.len());
    for v in variants {
        let m = v.n as f64;
        let mean_y = v.sum_y / m;
        let mean_x = v.sum_x / m;
        let var_y = ((v.sum_yy - v.sum_y * v.sum_y / m) / (m - 1.0)).max(0.0);
        let var_x = ((v.sum_xx - v.sum_x * v.sum_x / m) / (m - 1.0)).max(0.0);
        let cov = (v.sum_xy - v.sum_x * v.sum_y / m) / (m - 1.0);
        let var_adjusted = (var_y + theta * theta * var_x - 2.0 * theta * cov).max(0.0);
        adjusted.push(Estimate {
            mean: mean_y - theta * (mean_x - x_bar),
            variance_of_mean: var_adjusted / m,
            n: v.n,
        });
        unadjusted.push(Estimate {
            mean: mean_y,
            variance_of_mean: var_y / m,
            n: v.n,
        });
    }
    Ok(CupedAdjustment {
        theta,
        adjusted,
        unadjusted,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn moments(rows: &[(f64, f64)]) -> CupedMoments {
        CupedMoments {
            n: rows.len() as u64,
            sum_y: rows.iter().map(|r| r.0).sum(),
            sum_yy: rows.iter().map(|r| r.0 * r.0).sum(),
            sum_x: rows.iter().map(|r| r.1).sum(),
            sum_xx: rows.iter().map(|r| r.1 * r.1).sum(),
            sum_xy: rows.iter().map(|r| r.0 * r.1).sum(),
        }
    }

    #[test]
    fn a_perfect_covariate_removes_all_variance() {
        // y = 2x + 1 in control, 2x + 4 in treatment, same covariate values
        let a = moments(&[(3.0, 1.0), (5.0, 2.0), (7.0, 3.0)]);
        let b = moments(&[(6.0, 1.0), (8.0, 2.0), (10.0, 3.0)]);
        let out = adjust(&[a, b]).unwrap();
        assert!(out.adjusted.iter().all(|e| e.variance_of_mean < 1e-12));
        assert!(out.unadjusted.iter().all(|e| e.variance_of_mean > 0.1));
    }

    #[test]
    fn a_constant_covariate_is_neutral() {
        let a = moments(&[(3.0, 1.0), (5.0, 1.0)]);
        let b = moments(&[(6.0, 1.0), (8.0, 1.0)]);
        let n = adjust(&[a, b]).unwrap_err();
        assert_eq!(n.reason_code, ReasonCode::UnusableCovariate);
    }
}
