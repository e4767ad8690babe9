//! Sample ratio mismatch: is the split between variants the one planned?
//!
//! If a 50/50 test shows 50,000 vs 51,000 people, something in assignment or
//! tracking is broken (bots, redirects, a variant that crashes before the
//! tracking fires), and the comparison is biased whatever the p-values say.
//! A chi-square goodness-of-fit test of the observed counts against the
//! planned shares (equal by default) detects it; like most practitioners we
//! flag it at p < 0.001, because the check runs on every experiment and a
//! false alarm stops a good test.

use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF};
use ts_rs::TS;

use crate::error::{Result, StatsError};
use crate::neutral::{Neutral, ReasonCode};

/// p-value under which the split is flagged.
pub const SRM_THRESHOLD: f64 = 0.001;

/// The sample-ratio check as it appears in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SrmResult {
    pub chi2: Option<f64>,
    pub p_value: Option<f64>,
    /// True when p < 0.001: the split is not the planned one.
    pub flagged: bool,
    /// The planned share of each variant, in report order.
    pub expected_shares: Vec<f64>,
    pub neutral: Option<Neutral>,
}

/// The check for a split nobody planned: neutral, with no expected shares.
pub fn unplanned(variants: usize) -> SrmResult {
    SrmResult {
        chi2: None,
        p_value: None,
        flagged: false,
        expected_shares: Vec::new(),
        neutral: Some(Neutral::new(
            ReasonCode::NoPlannedSplit,
            format!(
                "the {variants} arms were not split by plan (they are what the platform ran), so their sizes are not checked against one"
            ),
        )),
    }
}

/// Chi-square test of `counts` against planned `weights` (equal when `None`;
/// weights are normalised, so 50/25/25 and 2/1/1 are the same plan).
pub fn sample_ratio_mismatch(counts: &[u64], weights: Option<&[f64]>) -> Result<SrmResult> {
    let k = counts.len();
    let shares: Vec<f64> = match weights {
        None => vec![1.0 / k.max(1) as f64; k],
        Some(w) => {
            if w.len() != k {
                return Err(StatsError::InvalidInput(format!(
                    "{} planned shares were given for {k} variants",
                    w.len()
                )));
            }
            if w.iter().any(|x| !(x.is_finite() && *x > 0.0)) {
                return Err(StatsError::InvalidInput(
                    "every planned share must be a positive number".into(),
                ));
            }
            let total: f64 = w.iter().sum();
            w.iter().map(|x| x / total).collect()
        }
    };
    let total: u64 = counts.iter().sum();
    let neutral = |code, message: &str| SrmResult {
        chi2: None,
        p_value: None,
        flagged: false,
        expected_shares: shares.clone(),
        neutral: Some(Neutral::new(code, message)),
    };
    if k < 2 {
        return Ok(neutral(
            ReasonCode::OneVariant,
            "a split needs at least two variants to be checked",
        ));
    }
    if total == 0 {
        return Ok(neutral(
            ReasonCode::EmptyVariant,
            "no units have been assigned yet, so the split cannot be checked",
        ));
    }
    let chi2: f64 = counts
        .iter()
        .zip(&shares)
        .map(|(&observed, share)| {
            let expected = total as f64 * share;
            let d = observed as f64 - expected;
            d * d / expected
        })
        .sum();
    let dist = ChiSquared::new((k - 1) as f64)
        .map_err(|e| StatsError::InvalidInput(format!("chi-square distribution: {e}")))?;
    let p_value = dist.sf(chi2).clamp(0.0, 1.0);
    Ok(SrmResult {
        chi2: Some(chi2),
        p_value: Some(p_value),
        flagged: p_value < SRM_THRESHOLD,
        expected_shares: shares,
        neutral: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_split_nobody_planned_is_not_checked_and_says_so() {
        let r = unplanned(4);
        assert!(!r.flagged && r.p_value.is_none() && r.expected_shares.is_empty());
        let neutral = r.neutral.unwrap();
        assert_eq!(neutral.reason_code, ReasonCode::NoPlannedSplit);
        assert!(neutral.message.contains("4 arms were not split by plan"));
    }

    #[test]
    fn a_perfect_split_is_not_flagged() {
        let r = sample_ratio_mismatch(&[500, 500], None).unwrap();
        assert_eq!(r.chi2, Some(0.0));
        assert_eq!(r.p_value, Some(1.0));
        assert!(!r.flagged);
    }

    #[test]
    fn one_variant_is_neutral() {
        let r = sample_ratio_mismatch(&[500], None).unwrap();
        assert_eq!(r.neutral.unwrap().reason_code, ReasonCode::OneVariant);
        assert!(r.p_value.is_none());
    }

    #[test]
    fn mismatched_weights_are_an_error() {
        let e = sample_ratio_mismatch(&[1, 2], Some(&[1.0])).unwrap_err();
        assert!(e.to_string().contains("2 variants"));
    }
}
