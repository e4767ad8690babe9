//! Bayesian comparison: chance to beat control and expected loss.
//!
//! Conversions: each rate gets a Beta(1 + conversions, 1 + non-conversions)
//! posterior (uniform prior). P(p_B > p_A) is computed exactly with the
//! finite sum for integer beta parameters (Evan Miller, "Formulas for
//! Bayesian A/B testing"):
//!
//! P(p_B > p_A) = Σ_{i=0}^{α_B−1} B(α_A+i, β_A+β_B) / ((β_B+i) · B(1+i, β_B) · B(α_A, β_A))
//!
//! evaluated in log space with `statrs::function::beta::ln_beta`. The sum has
//! α_B terms; symmetries (swap the variants, or reflect p → 1−p) let us
//! iterate over the smallest of the four parameters, so the work is bounded
//! by min(conversions, non-conversions) + 1. Expected loss uses the identity
//! E[p_A·1{p_A>p_B}] = E[p_A]·P(p_A' > p_B) with p_A' ~ Beta(α_A+1, β_A).
//! Deterministic: no Monte Carlo.
//!
//! Means: a flat prior gives normal posteriors N(ȳ, s²/n); their difference
//! D is normal, P(D > 0) = Φ(μ/σ) and E[max(−D, 0)] = σφ(μ/σ) − μΦ(−μ/σ).
//!
//! "Expected loss" of a variant is what you expect to give up, in the
//! metric's own units, if you ship it and it is in fact worse than control;
//! `expected_loss_control` is the same for keeping the control.

use statrs::distribution::{Continuous, ContinuousCDF, Normal};
use statrs::function::beta::ln_beta;

use crate::neutral::{Neutral, ReasonCode};
use crate::statistic::{Estimate, ProportionStatistic};

/// Posterior summaries of treatment vs control.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BayesianOutcome {
    /// P(treatment's true rate or mean > control's).
    pub chance_to_beat_control: f64,
    /// E[max(control − treatment, 0)]: the risk of shipping the treatment.
    pub expected_loss: f64,
    /// E[max(treatment − control, 0)]: the risk of keeping the control.
    pub expected_loss_control: f64,
}

/// P(X > Y) for X ~ Beta(a1, b1), Y ~ Beta(a2, b2) with integer parameters ≥ 1.
pub fn beta_probability_greater(a1: f64, b1: f64, a2: f64, b2: f64) -> f64 {
    // Four equivalent forms; each sum runs over its first argument.
    let smallest = a1.min(b1).min(a2).min(b2);
    let p = if smallest == a1 {
        miller_sum(a1, b1, a2, b2)
    } else if smallest == a2 {
        1.0 - miller_sum(a2, b2, a1, b1)
    } else if smallest == b2 {
        // X > Y  ⇔  1−Y > 1−X, with 1−Y ~ Beta(b2, a2), 1−X ~ Beta(b1, a1)
        miller_sum(b2, a2, b1, a1)
    } else {
        1.0 - miller_sum(b1, a1, b2, a2)
    };
    p.clamp(0.0, 1.0)
}

/// Evan Miller's sum for P(X > Y), X ~ Beta(a1, b1), Y ~ Beta(a2, b2); a1 integer.
fn miller_sum(a1: f64, b1: f64, a2: f64, b2: f64) -> f64 {
    let terms = a1.round() as u64;
    let base = ln_beta(a2, b2);
    let mut total = 0.0;
    for i in 0..terms {
        let i = i as f64;
        let log_term = ln_beta(a2 + i, b2 + b1) - (b1 + i).ln() - ln_beta(1.0 + i, b1) - base;
        total += log_term.exp();
    }
    total
}

/// Beta-binomial comparison with a uniform Beta(1, 1) prior.
pub fn beta_binomial(
    control: &ProportionStatistic,
    treatment: &ProportionStatistic,
) -> Result<BayesianOutcome, Neutral> {
    if control.n == 0 || treatment.n == 0 {
        return Err(Neutral::new(
            ReasonCode::EmptyVariant,
            "a variant has no units yet, so there is no posterior to compare",
        ));
    }
    let (aa, ba) = (
        1.0 + control.conversions as f64,
        1.0 + (control.n - control.conversions) as f64,
    );
    let (ab, bb) = (
        1.0 + treatment.conversions as f64,
        1.0 + (treatment.n - treatment.conversions) as f64,
    );
    let chance = beta_probability_greater(ab, bb, aa, ba);
    let mean_a = aa / (aa + ba);
    let mean_b = ab / (ab + bb);
    // E[(p_A − p_B)+] = E[p_A]·P(A⁺ > B) − E[p_B]·P(A > B⁺), where ⁺ adds one success.
    let loss_treatment = mean_a * beta_probability_greater(aa + 1.0, ba, ab, bb)
        - mean_b * beta_probability_greater(aa, ba, ab + 1.0, bb);
    let loss_control = mean_b * beta_probability_greater(ab + 1.0, bb, aa, ba)
        - mean_a * beta_probability_greater(ab, bb, aa + 1.0, ba);
    Ok(BayesianOutcome {
        chance_to_beat_control: chance,
        expected_loss: loss_treatment.max(0.0),
        expected_loss_control: loss_control.max(0.0),
    })
}

/// Normal-posterior comparison of two means (flat prior).
pub fn normal_posterior(
    control: Estimate,
    treatment: Estimate,
) -> Result<BayesianOutcome, Neutral> {
    let sigma = (control.variance_of_mean + treatment.variance_of_mean).sqrt();
    if sigma.is_nan() || sigma <= 0.0 || sigma.is_infinite() {
        return Err(Neutral::new(
            ReasonCode::ZeroVariance,
            "the means have no uncertainty to weigh (every unit has the same value)",
        ));
    }
    let mu = treatment.mean - control.mean;
    let std = Normal::standard();
    let k = mu / sigma;
    let density = std.pdf(k);
    Ok(BayesianOutcome {
        chance_to_beat_control: std.cdf(k),
        expected_loss: (sigma * density - mu * std.cdf(-k)).max(0.0),
        expected_loss_control: (sigma * density + mu * std.cdf(k)).max(0.0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_four_forms_of_the_sum_agree() {
        let (a1, b1, a2, b2) = (13.0, 40.0, 9.0, 47.0);
        let direct = miller_sum(a1, b1, a2, b2);
        let swapped = 1.0 - miller_sum(a2, b2, a1, b1);
        let reflected = miller_sum(b2, a2, b1, a1);
        let both = 1.0 - miller_sum(b1, a1, b2, a2);
        for other in [swapped, reflected, both] {
            assert!((direct - other).abs() < 1e-12, "{direct} vs {other}");
        }
    }

    #[test]
    fn identical_variants_are_a_coin_flip() {
        let a = ProportionStatistic::new(1000, 100);
        let out = beta_binomial(&a, &a).unwrap();
        assert!((out.chance_to_beat_control - 0.5).abs() < 1e-9);
        assert!((out.expected_loss - out.expected_loss_control).abs() < 1e-12);
    }

    #[test]
    fn no_conversions_still_gives_a_finite_posterior() {
        let a = ProportionStatistic::new(50, 0);
        let b = ProportionStatistic::new(50, 0);
        let out = beta_binomial(&a, &b).unwrap();
        assert!((out.chance_to_beat_control - 0.5).abs() < 1e-12);
        assert!(out.expected_loss.is_finite());
    }
}
