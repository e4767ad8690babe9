//! Typed inputs: what an experiment is made of before any statistics.
//!
//! Every source (per-person rows, per-variant aggregates, a file, manual
//! entry, later the workspace) is reduced to one [`VariantSummary`] per
//! variant: sufficient statistics (counts, sums, sums of squares and, for
//! CUPED, covariate moments). The tests only ever see these, so a file of
//! 10 million rows and a hand-typed table go through the same code.
//!
//! Sums are accumulated with Neumaier compensation so that the variance
//! computed later as `(Σy² − (Σy)²/n)/(n−1)` keeps its precision.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Result, StatsError};

/// Sufficient statistics of one variant. `conversions` is present when the
/// experiment has a conversion metric, `sum`/`sum_squares` when it has a
/// value metric (revenue, rounds played, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct VariantSummary {
    pub name: String,
    #[ts(type = "number")]
    pub n: u64,
    #[ts(type = "number | null")]
    pub conversions: Option<u64>,
    pub sum: Option<f64>,
    pub sum_squares: Option<f64>,
    pub covariate: Option<CovariateMoments>,
}

impl VariantSummary {
    /// A conversion-only variant, as typed by hand: "B: 10,000 users, 1,100 conversions".
    pub fn conversions(name: impl Into<String>, n: u64, conversions: u64) -> Self {
        VariantSummary {
            name: name.into(),
            n,
            conversions: Some(conversions),
            sum: None,
            sum_squares: None,
            covariate: None,
        }
    }

    /// A value-only variant from its count, sum and sum of squares.
    pub fn values(name: impl Into<String>, n: u64, sum: f64, sum_squares: f64) -> Self {
        VariantSummary {
            name: name.into(),
            n,
            conversions: None,
            sum: Some(sum),
            sum_squares: Some(sum_squares),
            covariate: None,
        }
    }
}

/// Moments of the pre-period covariate `x` of one variant, for CUPED.
/// `value_products` is Σ x·value, `conversion_products` is Σ x·converted
/// (the sum of `x` over the units that converted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CovariateMoments {
    pub sum: f64,
    pub sum_squares: f64,
    pub value_products: Option<f64>,
    pub conversion_products: Option<f64>,
}

/// A whole experiment: its variants in display order, and the names of its
/// metrics as the user knows them (column names, e.g. `retention_7`), which
/// the verdict uses in its sentences.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
pub struct ExperimentData {
    pub variants: Vec<VariantSummary>,
    #[serde(default)]
    pub conversion_metric: Option<String>,
    #[serde(default)]
    pub value_metric: Option<String>,
}

impl ExperimentData {
    /// Variants only, metrics unnamed (manual entry).
    pub fn new(variants: Vec<VariantSummary>) -> Self {
        ExperimentData {
            variants,
            conversion_metric: None,
            value_metric: None,
        }
    }

    pub fn has_conversions(&self) -> bool {
        !self.variants.is_empty() && self.variants.iter().all(|v| v.conversions.is_some())
    }

    pub fn has_values(&self) -> bool {
        !self.variants.is_empty()
            && self
                .variants
                .iter()
                .all(|v| v.sum.is_some() && v.sum_squares.is_some())
    }

    /// Rejects input that is not data at all (as opposed to data that is too
    /// thin for a conclusion, which becomes a neutral result).
    pub fn validate(&self) -> Result<()> {
        let mut seen = std::collections::BTreeSet::new();
        for v in &self.variants {
            let name = &v.name;
            if name.trim().is_empty() {
                return Err(StatsError::InvalidInput(
                    "a variant has an empty name".into(),
                ));
            }
            if !seen.insert(name.as_str()) {
                return Err(StatsError::InvalidInput(format!(
                    "variant '{name}' is listed twice"
                )));
            }
            if let Some(c) = v.conversions {
                if c > v.n {
                    return Err(StatsError::InvalidInput(format!(
                        "variant '{name}' has {c} conversions out of {} units",
                        v.n
                    )));
                }
            }
            match (v.sum, v.sum_squares) {
                (Some(s), Some(q)) => {
                    if !s.is_finite() || !q.is_finite() {
                        return Err(StatsError::InvalidInput(format!(
                            "variant '{name}' has a sum or sum of squares that is not a finite number"
                        )));
                    }
                    if q < 0.0 {
                        return Err(StatsError::InvalidInput(format!(
                            "variant '{name}' has a negative sum of squares ({q})"
                        )));
                    }
                    if v.n > 0 {
                        let floor = s * s / v.n as f64;
                        if q < floor - 1e-9 * floor.abs().max(1.0) {
                            return Err(StatsError::InvalidInput(format!(
                                "variant '{name}' has a sum of squares ({q}) smaller than sum²/n ({floor}), which no data can produce"
                            )));
                        }
                    } else if s != 0.0 || q != 0.0 {
                        return Err(StatsError::InvalidInput(format!(
                            "variant '{name}' has no units but a non-zero sum"
                        )));
                    }
                }
                (None, None) => {}
                _ => {
                    return Err(StatsError::InvalidInput(format!(
                        "variant '{name}' has a sum without a sum of squares (both are needed for means)"
                    )))
                }
            }
            if let Some(c) = &v.covariate {
                let all = [
                    Some(c.sum),
                    Some(c.sum_squares),
                    c.value_products,
                    c.conversion_products,
                ];
                if all.iter().flatten().any(|x| !x.is_finite()) {
                    return Err(StatsError::InvalidInput(format!(
                        "variant '{name}' has covariate moments that are not finite numbers"
                    )));
                }
            }
        }
        Ok(())
    }
}

/// One person's row, borrowed from wherever it was read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PersonRow<'a> {
    pub variant: &'a str,
    pub converted: Option<bool>,
    pub value: Option<f64>,
    /// Pre-period value of the metric (or any pre-period signal), for CUPED.
    pub covariate: Option<f64>,
}

/// A compensated (Neumaier) running sum.
#[derive(Debug, Clone, Copy, Default)]
struct Sum {
    total: f64,
    compensation: f64,
}

impl Sum {
    fn add(&mut self, x: f64) {
        let t = self.total + x;
        if self.total.abs() >= x.abs() {
            self.compensation += (self.total - t) + x;
        } else {
            self.compensation += (x - t) + self.total;
        }
        self.total = t;
    }

    fn value(&self) -> f64 {
        self.total + self.compensation
    }
}

#[derive(Debug, Clone, Default)]
struct Accumulator {
    n: u64,
    conversions: u64,
    sum: Sum,
    sum_squares: Sum,
    covariate_n: u64,
    x: Sum,
    xx: Sum,
    xy: Sum,
    xc: Sum,
}

/// Which metrics every row carries; fixed up front so a file cannot switch
/// shape half-way through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RowShape {
    pub converted: bool,
    pub value: bool,
    pub covariate: bool,
}

/// Folds per-person rows into per-variant summaries, in bounded memory (one
/// accumulator per variant name).
#[derive(Debug, Clone)]
pub struct RowAggregator {
    shape: RowShape,
    variants: BTreeMap<String, Accumulator>,
}

impl RowAggregator {
    pub fn new(shape: RowShape) -> Self {
        RowAggregator {
            shape,
            variants: BTreeMap::new(),
        }
    }

    /// Adds one row. A row missing a metric the shape requires is rejected;
    /// a missing covariate is allowed and makes CUPED unavailable later.
    pub fn add(&mut self, row: &PersonRow<'_>) -> Result<()> {
        if self.shape.converted && row.converted.is_none() {
            return Err(StatsError::InvalidInput(format!(
                "a row of variant '{}' has no conversion flag",
                row.variant
            )));
        }
        if self.shape.value && row.value.is_none_or(|v| !v.is_finite()) {
            return Err(StatsError::InvalidInput(format!(
                "a row of variant '{}' has no finite value",
                row.variant
            )));
        }
        let acc = match self.variants.get_mut(row.variant) {
            Some(acc) => acc,
            None => self.variants.entry(row.variant.to_string()).or_default(),
        };
        acc.n += 1;
        let converted = row.converted.unwrap_or(false);
        if converted {
            acc.conversions += 1;
        }
        let value = row.value.unwrap_or(0.0);
        if self.shape.value {
            acc.sum.add(value);
            acc.sum_squares.add(value * value);
        }
        if self.shape.covariate {
            if let Some(x) = row.covariate.filter(|x| x.is_finite()) {
                acc.covariate_n += 1;
                acc.x.add(x);
                acc.xx.add(x * x);
                acc.xy.add(x * value);
                if converted {
                    acc.xc.add(x);
                }
            }
        }
        Ok(())
    }

    /// The summaries, variants sorted by name. CUPED moments are attached
    /// only when every row of every variant had a covariate.
    pub fn finish(self) -> ExperimentData {
        let complete_covariate =
            self.shape.covariate && self.variants.values().all(|a| a.covariate_n == a.n);
        let shape = self.shape;
        let variants = self
            .variants
            .into_iter()
            .map(|(name, a)| VariantSummary {
                name,
                n: a.n,
                conversions: shape.converted.then_some(a.conversions),
                sum: shape.value.then(|| a.sum.value()),
                sum_squares: shape.value.then(|| a.sum_squares.value()),
                covariate: complete_covariate.then(|| CovariateMoments {
                    sum: a.x.value(),
                    sum_squares: a.xx.value(),
                    value_products: shape.value.then(|| a.xy.value()),
                    conversion_products: shape.converted.then(|| a.xc.value()),
                }),
            })
            .collect();
        ExperimentData::new(variants)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(variant: &str, converted: bool, value: f64, covariate: Option<f64>) -> PersonRow<'_> {
        PersonRow {
            variant,
            converted: Some(converted),
            value: Some(value),
            covariate,
        }
    }

    #[test]
    fn rows_fold_into_sorted_summaries_with_moments() {
        let mut agg = RowAggregator::new(RowShape {
            converted: true,
            value: true,
            covariate: true,
        });
        agg.add(&row("b", true, 2.0, Some(1.0))).unwrap();
        agg.add(&row("a", false, 0.0, Some(3.0))).unwrap();
        agg.add(&row("b", false, 4.0, Some(2.0))).unwrap();
        let data = agg.finish();
        assert_eq!(data.variants[0].name, "a");
        let b = &data.variants[1];
        assert_eq!((b.n, b.conversions), (2, Some(1)));
        assert_eq!((b.sum, b.sum_squares), (Some(6.0), Some(20.0)));
        let c = b.covariate.as_ref().unwrap();
        assert_eq!((c.sum, c.sum_squares), (3.0, 5.0));
        assert_eq!(c.value_products, Some(10.0));
        assert_eq!(c.conversion_products, Some(1.0));
    }

    #[test]
    fn a_missing_covariate_drops_cuped_moments() {
        let mut agg = RowAggregator::new(RowShape {
            converted: true,
            value: false,
            covariate: true,
        });
        agg.add(&row("a", true, 0.0, Some(1.0))).unwrap();
        agg.add(&row("a", true, 0.0, None)).unwrap();
        assert!(agg.finish().variants[0].covariate.is_none());
    }

    #[test]
    fn impossible_aggregates_are_rejected_with_the_variant_named() {
        let data = ExperimentData::new(vec![VariantSummary::conversions("B", 10, 12)]);
        let err = data.validate().unwrap_err().to_string();
        assert_eq!(
            err,
            "cannot analyse experiment: variant 'B' has 12 conversions out of 10 units"
        );
        let data = ExperimentData::new(vec![VariantSummary::values("A", 2, 10.0, 1.0)]);
        assert!(data.validate().is_err());
    }
}
