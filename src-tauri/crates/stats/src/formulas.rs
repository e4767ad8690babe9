//! The formulas behind every number, as text the UI can show on request.
//!
//! Kept beside the code (and mirrored in the README) so that "how was this
//! computed?" has one answer. Plain Unicode math, no markup, so it renders
//! anywhere.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    TwoProportionZTest,
    WelchTTest,
    RelativeLiftDeltaMethod,
    BayesianBetaBinomial,
    BayesianNormal,
    SampleRatioMismatch,
    HolmCorrection,
    BenjaminiHochbergCorrection,
    SequentialInterval,
    Cuped,
    PowerAndSampleSize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Formula {
    pub method: Method,
    pub title: String,
    pub formula: String,
    pub explanation: String,
}

impl Method {
    pub const ALL: [Method; 11] = [
        Method::TwoProportionZTest,
        Method::WelchTTest,
        Method::RelativeLiftDeltaMethod,
        Method::BayesianBetaBinomial,
        Method::BayesianNormal,
        Method::SampleRatioMismatch,
        Method::HolmCorrection,
        Method::BenjaminiHochbergCorrection,
        Method::SequentialInterval,
        Method::Cuped,
        Method::PowerAndSampleSize,
    ];

    /// The title, formula and a one-paragraph explanation of this method.
    pub fn formula(self) -> Formula {
        let (title, formula, explanation) = match self {
            Method::TwoProportionZTest => (
                "Two-proportion z-test",
                "p̂ = (c_A + c_B)/(n_A + n_B);  z = (p_B − p_A) / √(p̂(1−p̂)(1/n_A + 1/n_B));  p = 2·(1 − Φ(|z|));  interval: (p_B − p_A) ± z_{1−α/2}·√(p_A(1−p_A)/n_A + p_B(1−p_B)/n_B)",
                "Compares conversion rates. The test pools both variants under 'no difference'; the interval uses each variant's own variance (Wald).",
            ),
            Method::WelchTTest => (
                "Welch's t-test",
                "V_i = s_i²/n_i;  t = (ȳ_B − ȳ_A)/√(V_A + V_B);  ν = (V_A + V_B)² / (V_A²/(n_A−1) + V_B²/(n_B−1));  p = 2·(1 − T_ν(|t|));  interval: (ȳ_B − ȳ_A) ± t_{ν,1−α/2}·√(V_A + V_B)",
                "Compares means (revenue, rounds played) without assuming equal variances; s² is the sample variance (n−1), computed from n, Σy and Σy².",
            ),
            Method::RelativeLiftDeltaMethod => (
                "Relative lift (delta method)",
                "lift = m_B/m_A − 1;  Var(lift) ≈ V_B/m_A² + m_B²·V_A/m_A⁴;  interval: lift ± c·√Var(lift), c = z_{1−α/2} for rates, t_{ν,1−α/2} for means",
                "A first-order Taylor expansion of the ratio of two independent estimates. Undefined (null) when the control is zero.",
            ),
            Method::BayesianBetaBinomial => (
                "Chance to beat control (conversions)",
                "p_i ~ Beta(1 + c_i, 1 + n_i − c_i);  P(p_B > p_A) = Σ_{i=0}^{α_B−1} B(α_A+i, β_A+β_B) / ((β_B+i)·B(1+i, β_B)·B(α_A, β_A));  loss(B) = E[max(p_A − p_B, 0)] = E[p_A]·P(p_A⁺ > p_B) − E[p_B]·P(p_A > p_B⁺), ⁺ = one more success",
                "Exact for the uniform prior, no simulation. Expected loss is what shipping B costs, in rate points, in the worlds where B is actually worse.",
            ),
            Method::BayesianNormal => (
                "Chance to beat control (means)",
                "μ_i ~ N(ȳ_i, s_i²/n_i);  D = μ_B − μ_A ~ N(Δ, σ²), σ² = V_A + V_B;  P(D > 0) = Φ(Δ/σ);  loss(B) = σ·φ(Δ/σ) − Δ·Φ(−Δ/σ);  loss(A) = σ·φ(Δ/σ) + Δ·Φ(Δ/σ)",
                "Flat-prior normal posteriors of the two means; closed forms.",
            ),
            Method::SampleRatioMismatch => (
                "Sample ratio mismatch",
                "χ² = Σ_i (n_i − N·w_i)² / (N·w_i),  df = k − 1;  flagged when p < 0.001",
                "Checks that the observed split matches the planned shares w_i. A mismatch means broken assignment or tracking; results are then biased.",
            ),
            Method::HolmCorrection => (
                "Holm correction",
                "sort p₍₁₎ ≤ … ≤ p₍ₘ₎;  p̃₍ᵢ₎ = max_{j≤i} min(1, (m − j + 1)·p₍ⱼ₎)",
                "Controls the chance of any false win across m treatments. The verdict uses these.",
            ),
            Method::BenjaminiHochbergCorrection => (
                "Benjamini–Hochberg correction",
                "sort p₍₁₎ ≤ … ≤ p₍ₘ₎;  p̃₍ᵢ₎ = min_{j≥i} min(1, m·p₍ⱼ₎/j)",
                "Controls the expected share of false wins among the wins; less strict than Holm.",
            ),
            Method::SequentialInterval => (
                "Always-valid (sequential) interval",
                "ρ = √((−2 ln α + ln(1 − 2 ln α)) / N*);  s² = Var(estimate)·N;  half-width = s·√(2(Nρ² + 1)·ln(√(Nρ² + 1)/α) / (Nρ)²)",
                "Howard et al.'s normal-mixture confidence sequence: valid however often you look, at the cost of width. N is the total sample, N* the tuning size where it is tightest.",
            ),
            Method::Cuped => (
                "CUPED",
                "θ = cov(y, x)/var(x) over all units;  y′ = y − θ(x − x̄);  then Welch's t-test and the delta method on y′;  variance reduction = 1 − Var(Δ′)/Var(Δ)",
                "Uses each person's pre-period value x to remove predictable noise; the estimate is unbiased because x is fixed before assignment.",
            ),
            Method::PowerAndSampleSize => (
                "Power, sample size, minimum detectable effect, duration",
                "α′ = α/(k−1);  d = Δ/σ̄ (rates: σ̄ = √((p₁q₁ + p₂q₂)/2); means: σ̄ = sd);  power = Φ(d√(n/2) − z_{1−α′/2}) + Φ(−d√(n/2) − z_{1−α′/2});  days = ⌈k·n / daily traffic⌉",
                "n per variant solves power = target; the MDE is the smallest relative lift reaching the target at a given n.",
            ),
        };
        Formula {
            method: self,
            title: title.to_string(),
            formula: formula.to_string(),
            explanation: explanation.to_string(),
        }
    }
}

/// Every method with its formula, in the order the report uses them.
pub fn formulas() -> Vec<Formula> {
    Method::ALL.iter().map(|m| m.formula()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_method_has_text() {
        let all = formulas();
        assert_eq!(all.len(), Method::ALL.len());
        assert!(all
            .iter()
            .all(|f| !f.formula.is_empty() && !f.explanation.is_empty()));
    }
}
