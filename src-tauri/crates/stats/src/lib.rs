//! A/B experiment statistics for Rebound, a data scientist would sign.
//!
//! The flow is GrowthBook gbstats' one: typed inputs ([`VariantSummary`],
//! read from per-person rows, aggregates or manual entry) → statistics
//! ([`ProportionStatistic`], [`SampleMeanStatistic`], CUPED estimates) →
//! tests (z, Welch, Bayesian, sequential, SRM, corrections) → one
//! serialisable [`ExperimentReport`] with a plain-language [`Verdict`].
//!
//! Architecture invariants:
//! - no Tauri, no database, no clock, no randomness: a pure function of its
//!   inputs, so the CLI, the app and the golden tests get the same numbers;
//! - degenerate data gives neutral results with a [`ReasonCode`], never a
//!   panic or a NaN; errors are only for input that is not data;
//! - distributions come from `statrs`; numbers are checked against scipy and
//!   statsmodels (`golden/generate.py`, `golden/expected.json`).
//!
//! Entry points: [`analyze`], [`read_person_csv`], [`read_aggregates_csv`],
//! [`sample_size`], [`minimum_detectable_effect`], [`formulas`].

pub mod analysis;
pub mod bayesian;
pub mod cuped;
pub mod error;
pub mod formulas;
pub mod frequentist;
pub mod input;
pub mod multiple;
pub mod neutral;
pub mod planner;
pub mod read;
pub mod result;
pub mod sequential;
pub mod srm;
pub mod statistic;
pub mod verdict;

pub use analysis::{analyze, control_index, AnalysisOptions};
pub use error::{Result, StatsError};
pub use formulas::{formulas, Formula, Method};
pub use input::{
    CovariateMoments, ExperimentData, PersonRow, RowAggregator, RowShape, VariantSummary,
};
pub use neutral::{Neutral, ReasonCode};
pub use planner::{
    duration_days, minimum_detectable_effect, sample_size, Baseline, Design, MdePlan, SamplePlan,
};
pub use read::{
    detect_csv_kind, read_aggregates_csv, read_aggregates_csv_from, read_person_csv,
    read_person_csv_from, CsvKind, PersonColumns, PersonFile, ResolvedColumns,
};
pub use result::{
    Comparison, CupedResult, ExperimentReport, Interval, Metric, TestKind, VariantReport,
};
pub use srm::{sample_ratio_mismatch, SrmResult, SRM_THRESHOLD};
pub use statistic::{Estimate, ProportionStatistic, SampleMeanStatistic};
pub use verdict::{Caveat, CaveatCode, Decision, Verdict};

/// Analyses a per-person CSV file in one call (what `rebound experiment
/// analyze FILE --json` does).
pub fn analyze_person_csv(
    path: &std::path::Path,
    columns: &PersonColumns,
    options: &AnalysisOptions,
) -> Result<ExperimentReport> {
    let file = read_person_csv(path, columns)?;
    analyze(&file.data, options)
}

/// Analyses a per-variant aggregates CSV file in one call.
pub fn analyze_aggregates_csv(
    path: &std::path::Path,
    options: &AnalysisOptions,
) -> Result<ExperimentReport> {
    analyze(&read_aggregates_csv(path)?, options)
}
