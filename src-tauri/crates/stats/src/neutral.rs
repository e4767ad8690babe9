//! Neutral results: why a number is not there.
//!
//! GrowthBook's gbstats habit: a degenerate input (no conversions, one
//! variant, zero variance, a tiny sample) never panics and never produces NaN;
//! it produces a neutral result carrying a machine-readable [`ReasonCode`] and
//! a sentence a marketer can act on.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    /// Fewer than two variants, so there is nothing to compare.
    OneVariant,
    /// A variant has no units at all.
    EmptyVariant,
    /// A variant has fewer units than the minimum sample.
    TooFewUnits,
    /// Nobody converted in any of the compared variants.
    NoConversions,
    /// Everybody converted in every compared variant.
    AllConverted,
    /// The metric has the same value for every unit.
    ZeroVariance,
    /// The control's rate or mean is zero, so a relative lift is undefined.
    ZeroControl,
    /// The covariate has no variance or is missing for some units.
    UnusableCovariate,
    /// Nobody planned the split, so there is no ratio to check it against.
    NoPlannedSplit,
}

/// A result that deliberately carries no inference, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Neutral {
    pub reason_code: ReasonCode,
    pub message: String,
}

impl Neutral {
    pub fn new(reason_code: ReasonCode, message: impl Into<String>) -> Self {
        Neutral {
            reason_code,
            message: message.into(),
        }
    }
}
