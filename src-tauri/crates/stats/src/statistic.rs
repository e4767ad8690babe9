//! Statistics: what a test consumes, computed from a variant's summary.
//!
//! As in gbstats, a test never looks at raw data; it takes an [`Estimate`]
//! (a mean, the variance of that mean, and the number of units) built by a
//! statistic type that knows how its variance is defined:
//! - [`ProportionStatistic`]: Bernoulli outcomes, variance p(1−p)/n;
//! - [`SampleMeanStatistic`]: any numeric outcome, unbiased sample variance / n;
//! - CUPED-adjusted estimates come from [`crate::cuped`].

/// A point estimate and its sampling variance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub mean: f64,
    /// Variance of `mean` (not of one unit).
    pub variance_of_mean: f64,
    pub n: u64,
}

/// Conversions out of units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProportionStatistic {
    pub n: u64,
    pub conversions: u64,
}

impl ProportionStatistic {
    pub fn new(n: u64, conversions: u64) -> Self {
        ProportionStatistic { n, conversions }
    }

    /// The conversion rate; 0 for an empty variant (callers check `n` first).
    pub fn rate(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.conversions as f64 / self.n as f64
        }
    }

    /// Variance of the rate estimate, p(1−p)/n.
    pub fn estimate(&self) -> Estimate {
        let p = self.rate();
        let variance_of_mean = if self.n == 0 {
            0.0
        } else {
            p * (1.0 - p) / self.n as f64
        };
        Estimate {
            mean: p,
            variance_of_mean,
            n: self.n,
        }
    }
}

/// Count, sum and sum of squares of a numeric metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SampleMeanStatistic {
    pub n: u64,
    pub sum: f64,
    pub sum_squares: f64,
}

impl SampleMeanStatistic {
    pub fn new(n: u64, sum: f64, sum_squares: f64) -> Self {
        SampleMeanStatistic {
            n,
            sum,
            sum_squares,
        }
    }

    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.sum / self.n as f64
        }
    }

    /// Unbiased sample variance (denominator n−1); 0 below two units and
    /// never negative (rounding can push Σy² − (Σy)²/n slightly below 0).
    pub fn sample_variance(&self) -> f64 {
        if self.n < 2 {
            return 0.0;
        }
        let n = self.n as f64;
        ((self.sum_squares - self.sum * self.sum / n) / (n - 1.0)).max(0.0)
    }

    pub fn estimate(&self) -> Estimate {
        let variance_of_mean = if self.n == 0 {
            0.0
        } else {
            self.sample_variance() / self.n as f64
        };
        Estimate {
            mean: self.mean(),
            variance_of_mean,
            n: self.n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_variance_matches_the_textbook_definition() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sample variance 32/7
        let s = SampleMeanStatistic::new(8, 40.0, 232.0);
        assert_eq!(s.mean(), 5.0);
        assert!((s.sample_variance() - 32.0 / 7.0).abs() < 1e-12);
        assert!((s.estimate().variance_of_mean - 32.0 / 56.0).abs() < 1e-12);
    }

    #[test]
    fn proportion_variance_is_bernoulli() {
        let e = ProportionStatistic::new(200, 50).estimate();
        assert_eq!(e.mean, 0.25);
        assert!((e.variance_of_mean - 0.25 * 0.75 / 200.0).abs() < 1e-15);
    }
}
