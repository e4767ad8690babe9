//! Sequential, always-valid confidence intervals for people who peek.
//!
//! A fixed-horizon 95% interval is only 95% if you look once. Looking every
//! day and stopping at the first "significant" day inflates false positives
//! several-fold. A confidence sequence holds at every sample size at once, so
//! it may be checked as often as one likes.
//!
//! We use the two-sided normal-mixture boundary of Howard, Ramdas, McAuliffe
//! and Sekhon (2021, "Time-uniform, nonparametric, nonasymptotic confidence
//! sequences", eq. 14), as GrowthBook does. For an estimate with variance V
//! from N units in total, with s² = V·N:
//!
//! half-width = s · sqrt( 2(Nρ² + 1) · ln( sqrt(Nρ² + 1) / α ) / (Nρ)² )
//!
//! with the mixing scale ρ chosen to make the boundary tightest at a tuning
//! sample size N*: ρ = sqrt( (−2 ln α + ln(−2 ln α + 1)) / N* ). The interval is
//! asymptotic (it relies on the estimate being approximately normal), like
//! the z and t intervals beside it.

/// Half-width of the always-valid interval around an estimate with variance
/// `variance_of_estimate` computed from `n_total` units. `None` when it is
/// undefined (no units, no variance, α outside (0, 1), non-positive tuning).
pub fn always_valid_halfwidth(
    variance_of_estimate: f64,
    n_total: u64,
    alpha: f64,
    tuning_n: f64,
) -> Option<f64> {
    let defined = n_total > 0
        && variance_of_estimate.is_finite()
        && variance_of_estimate >= 0.0
        && alpha > 0.0
        && alpha < 1.0
        && tuning_n > 0.0;
    if !defined {
        return None;
    }
    let n = n_total as f64;
    let log_alpha = alpha.ln();
    let rho = ((-2.0 * log_alpha + (-2.0 * log_alpha + 1.0).ln()) / tuning_n).sqrt();
    let s = (variance_of_estimate * n).sqrt();
    let grow = n * rho * rho + 1.0;
    let half = s * (2.0 * grow * (grow.sqrt() / alpha).ln() / ((n * rho) * (n * rho))).sqrt();
    half.is_finite().then_some(half)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frequentist::normal_critical;

    #[test]
    fn always_valid_is_wider_than_fixed_horizon() {
        for n in [100u64, 5_000, 1_000_000] {
            let v = 1.0 / n as f64;
            let fixed = normal_critical(0.05) * v.sqrt();
            let seq = always_valid_halfwidth(v, n, 0.05, 5000.0).unwrap();
            assert!(seq > fixed, "n={n}: {seq} <= {fixed}");
        }
    }

    #[test]
    fn undefined_inputs_give_none() {
        assert!(always_valid_halfwidth(0.1, 0, 0.05, 5000.0).is_none());
        assert!(always_valid_halfwidth(f64::NAN, 10, 0.05, 5000.0).is_none());
        assert!(always_valid_halfwidth(0.1, 10, 1.5, 5000.0).is_none());
    }
}
