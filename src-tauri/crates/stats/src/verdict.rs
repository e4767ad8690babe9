//! The verdict: one sentence a marketer can act on, and what could make it wrong.
//!
//! The headline is about the primary metric (conversion when present, else
//! the value metric) and uses Holm-corrected significance, so adding variants
//! never makes a false win more likely. A sample ratio mismatch overrides
//! everything: a biased split makes every number suspect. Caveats carry a
//! code the UI can switch on and a sentence it can show.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::analysis::AnalysisOptions;
use crate::neutral::Neutral;
use crate::result::{Comparison, Metric, VariantReport};
use crate::srm::SrmResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// A treatment is significantly better than control.
    TreatmentWins,
    /// Every significant difference favours the control.
    ControlWins,
    /// No significant difference.
    NoClearDifference,
    /// Nothing could be compared.
    NotEnoughData,
    /// The split between variants is broken; do not act on the numbers.
    Untrustworthy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CaveatCode {
    SampleRatioMismatch,
    Peeking,
    TooLittleData,
    FewConversions,
    MultipleVariants,
    MetricsDisagree,
    /// The corrected test is significant but the interval of the relative lift
    /// still includes no change: too close to call.
    Borderline,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Caveat {
    pub code: CaveatCode,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Verdict {
    pub headline: String,
    pub decision: Decision,
    /// The metric the headline is about.
    pub primary_metric: Option<Metric>,
    pub caveats: Vec<Caveat>,
}

pub(crate) struct VerdictInput<'a> {
    pub control: &'a str,
    pub variants: &'a [VariantReport],
    pub srm: &'a SrmResult,
    pub experiment_neutral: Option<&'a Neutral>,
    pub options: &'a AnalysisOptions,
    pub conversion_label: Option<&'a str>,
    pub value_label: Option<&'a str>,
}

fn percent(x: f64) -> String {
    format!("{:+.1}%", 100.0 * x)
}

fn p_text(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".to_string()
    } else {
        format!("p = {p:.3}")
    }
}

fn comparison(v: &VariantReport, metric: Metric) -> Option<&Comparison> {
    match metric {
        Metric::Conversion => v.conversion.as_ref(),
        Metric::Value => v.value.as_ref(),
    }
}

/// "+4.3% (95% interval −1.0% to +7.2%)" or the absolute form when the
/// control is zero.
fn lift_text(c: &Comparison, confidence: f64) -> String {
    match (c.relative_lift, c.relative_interval) {
        (Some(l), Some(i)) => format!(
            "{} ({confidence:.0}% interval {} to {})",
            percent(l),
            percent(i.lower),
            percent(i.upper)
        ),
        _ => match (c.absolute_lift, c.absolute_interval) {
            (Some(l), Some(i)) => format!(
                "{l:+.4} ({confidence:.0}% interval {:+.4} to {:+.4})",
                i.lower, i.upper
            ),
            _ => "an undefined change".to_string(),
        },
    }
}

pub(crate) fn write(input: &VerdictInput<'_>) -> Verdict {
    let confidence = 100.0 * (1.0 - input.options.alpha);
    let mut caveats = Vec::new();
    let primary = if input.variants.iter().any(|v| v.conversion.is_some()) {
        Some(Metric::Conversion)
    } else if input.variants.iter().any(|v| v.value.is_some()) {
        Some(Metric::Value)
    } else {
        None
    };
    let metric_words = |m: Metric| match m {
        Metric::Conversion => match input.conversion_label {
            Some(l) => format!("{l} rate"),
            None => "conversion rate".to_string(),
        },
        Metric::Value => match input.value_label {
            Some(l) => format!("mean {l}"),
            None => "mean value".to_string(),
        },
    };

    if input.srm.flagged {
        let p = input.srm.p_value.unwrap_or(0.0);
        caveats.push(Caveat {
            code: CaveatCode::SampleRatioMismatch,
            message: format!(
                "The split between variants is not the planned one (sample ratio mismatch, chi-square {}). Something in assignment or tracking is broken; fix it before trusting any result.",
                p_text(p)
            ),
        });
    }

    let min = input.options.minimum_sample_per_variant;
    if let Some(small) = input.variants.iter().find(|v| v.n < min) {
        caveats.push(Caveat {
            code: CaveatCode::TooLittleData,
            message: format!(
                "Variant '{}' has only {} units; at least {min} per variant are needed before comparing.",
                small.name, small.n
            ),
        });
    }
    if let Some(thin) = input.variants.iter().find(|v| {
        v.conversions
            .is_some_and(|c| c < 10 || v.n.saturating_sub(c) < 10)
    }) {
        caveats.push(Caveat {
            code: CaveatCode::FewConversions,
            message: format!(
                "Variant '{}' has fewer than 10 conversions (or non-conversions); the normal approximation behind the p-value is rough at this size.",
                thin.name
            ),
        });
    }
    if let Some(planned) = input.options.planned_sample_per_variant {
        if let Some(short) = input
            .variants
            .iter()
            .map(|v| v.n)
            .min()
            .filter(|&n| n < planned)
        {
            caveats.push(Caveat {
                code: CaveatCode::Peeking,
                message: format!(
                    "The experiment has not reached its planned sample ({short} of {planned} units per variant). Stopping early because a result looks good inflates false wins; decide on the sequential interval, which allows peeking."
                ),
            });
        }
    }
    let treatments = input.variants.iter().filter(|v| !v.is_control).count();
    if treatments > 1 {
        caveats.push(Caveat {
            code: CaveatCode::MultipleVariants,
            message: format!(
                "{treatments} variants were each compared with {}; the verdict uses Holm-corrected p-values so the chance of any false win stays at {:.0}%.",
                input.control,
                100.0 * input.options.alpha
            ),
        });
    }
    for v in input.variants {
        if let (Some(c), Some(m)) = (&v.conversion, &v.value) {
            if c.significant && m.significant {
                let (a, b) = (
                    c.absolute_lift.unwrap_or(0.0),
                    m.absolute_lift.unwrap_or(0.0),
                );
                if a * b < 0.0 {
                    caveats.push(Caveat {
                        code: CaveatCode::MetricsDisagree,
                        message: format!(
                            "For '{}' the {} and the {} move in opposite directions; decide which one matters.",
                            v.name,
                            metric_words(Metric::Conversion),
                            metric_words(Metric::Value)
                        ),
                    });
                }
            }
        }
    }

    if let Some(n) = input.experiment_neutral {
        return Verdict {
            headline: format!("Nothing to compare yet: {}.", n.message),
            decision: Decision::NotEnoughData,
            primary_metric: primary,
            caveats,
        };
    }
    let Some(metric) = primary else {
        return Verdict {
            headline: "Nothing to compare yet: the variants have no metric.".to_string(),
            decision: Decision::NotEnoughData,
            primary_metric: None,
            caveats,
        };
    };
    let words = metric_words(metric);
    let compared: Vec<(&VariantReport, &Comparison)> = input
        .variants
        .iter()
        .filter_map(|v| comparison(v, metric).map(|c| (v, c)))
        .collect();
    let usable: Vec<(&VariantReport, &Comparison)> = compared
        .iter()
        .copied()
        .filter(|(_, c)| c.p_value.is_some())
        .collect();

    // Peeking: significant for one look, but the always-valid interval still includes zero.
    for (v, c) in &usable {
        if c.significant
            && c.sequential_absolute_interval
                .is_some_and(|i| i.contains(0.0))
        {
            caveats.push(Caveat {
                code: CaveatCode::Peeking,
                message: format!(
                    "'{}' is significant for a single planned look only: its always-valid interval, which allows checking results repeatedly, still includes no change. If you have been checking as data came in, keep the experiment running.",
                    v.name
                ),
            });
        }
    }

    if input.srm.flagged {
        return Verdict {
            headline: format!(
                "Do not act on these results yet: the split between variants is off (sample ratio mismatch), so the comparison of {words} may be biased."
            ),
            decision: Decision::Untrustworthy,
            primary_metric: Some(metric),
            caveats,
        };
    }
    if usable.is_empty() {
        let reason = compared
            .iter()
            .find_map(|(_, c)| c.neutral.as_ref())
            .map(|n| n.message.clone())
            .unwrap_or_else(|| "no comparison could be made".to_string());
        return Verdict {
            headline: format!("Not enough data to compare {words}: {reason}."),
            decision: Decision::NotEnoughData,
            primary_metric: Some(metric),
            caveats,
        };
    }
    // A decision needs the corrected test and the interval of the relative
    // lift to agree; near the boundary they can differ (the delta-method
    // interval is an approximation), and then it is too close to call.
    let decisive =
        |c: &Comparison| c.significant && c.relative_interval.is_none_or(|i| !i.contains(0.0));
    for (v, c) in &usable {
        if c.significant && !decisive(c) {
            caveats.push(Caveat {
                code: CaveatCode::Borderline,
                message: format!(
                    "'{}' passes the corrected test ({}), but the {confidence:.0}% interval of its relative lift still includes no change: too close to call. More data will settle it.",
                    v.name,
                    p_text(c.p_value_holm.or(c.p_value).unwrap_or(1.0)),
                ),
            });
        }
    }
    let winners: Vec<(&VariantReport, &Comparison)> = usable
        .iter()
        .copied()
        .filter(|(_, c)| decisive(c) && c.absolute_lift.unwrap_or(0.0) > 0.0)
        .collect();
    let losers: Vec<(&VariantReport, &Comparison)> = usable
        .iter()
        .copied()
        .filter(|(_, c)| decisive(c) && c.absolute_lift.unwrap_or(0.0) < 0.0)
        .collect();
    let chance = |c: &Comparison| {
        c.chance_to_beat_control
            .map(|p| format!("{:.1}%", 100.0 * p))
            .unwrap_or_else(|| "an unknown".to_string())
    };
    if let Some((v, c)) = extreme(&winners, true) {
        return Verdict {
            headline: format!(
                "{} beats {} on {words}: {}, {} chance to be better.",
                v.name,
                input.control,
                lift_text(c, confidence),
                chance(c)
            ),
            decision: Decision::TreatmentWins,
            primary_metric: Some(metric),
            caveats,
        };
    }
    if let Some((v, c)) = extreme(&losers, false) {
        return Verdict {
            headline: format!(
                "Keep {}: {} lowers {words} by {} ({}), only {} chance to be better.",
                input.control,
                v.name,
                lift_text(c, confidence).trim_start_matches('-'),
                p_text(c.p_value_holm.or(c.p_value).unwrap_or(1.0)),
                chance(c)
            ),
            decision: Decision::ControlWins,
            primary_metric: Some(metric),
            caveats,
        };
    }
    let (v, c) = extreme(&usable, true).unwrap_or(usable[0]);
    Verdict {
        headline: format!(
            "No clear difference on {words} yet: {} vs {} is {}, {}, {} chance to be better.",
            v.name,
            input.control,
            lift_text(c, confidence),
            p_text(c.p_value_holm.or(c.p_value).unwrap_or(1.0)),
            chance(c)
        ),
        decision: Decision::NoClearDifference,
        primary_metric: Some(metric),
        caveats,
    }
}

/// The comparison with the largest (or, with `higher` false, the smallest) absolute lift.
fn extreme<'a>(
    items: &[(&'a VariantReport, &'a Comparison)],
    higher: bool,
) -> Option<(&'a VariantReport, &'a Comparison)> {
    items.iter().copied().max_by(|a, b| {
        let (x, y) = (
            a.1.absolute_lift.unwrap_or(0.0),
            b.1.absolute_lift.unwrap_or(0.0),
        );
        if higher {
            x.total_cmp(&y)
        } else {
            y.total_cmp(&x)
        }
    })
}
