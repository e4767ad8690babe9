//! `rebound experiment …`: analyse A/B files, list and analyse the
//! experiments stored in a workspace, and plan new ones.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Subcommand;
use rebound_api as api;
use rebound_core::{Error, Workspace};
use rebound_experiments::audience_tests::{
    AudienceArm, AudienceSubject, AudienceTestRequest, SplitOf,
};
use rebound_experiments::split_tests;
use rebound_experiments::{self as experiments, PlanRequest};
use rebound_stats::{
    analyze, analyze_aggregates_csv, detect_csv_kind, read_person_csv, AnalysisOptions, Baseline,
    CsvKind, Design, ExperimentReport, PersonColumns,
};
use serde_json::json;

use crate::{to_json, workspace_path, Output};

#[derive(Subcommand)]
pub enum ExperimentCommand {
    /// Analyse a per-person CSV (one row per person) or a per-variant aggregates CSV
    Analyze {
        file: PathBuf,
        /// Column holding the variant [default: detected, e.g. variant, group, version]
        #[arg(long)]
        variant: Option<String>,
        /// Column holding the conversion (TRUE/FALSE, 1/0) [default: detected]
        #[arg(long)]
        converted: Option<String>,
        /// Column holding a value to compare means of (revenue, rounds played)
        #[arg(long)]
        value: Option<String>,
        /// Column holding a pre-period covariate, for CUPED
        #[arg(long)]
        covariate: Option<String>,
        /// Name of the control variant [default: control, A, baseline… else the first]
        #[arg(long)]
        control: Option<String>,
        /// Significance level
        #[arg(long, default_value_t = 0.05)]
        alpha: f64,
        /// Read the file as per-variant aggregates (variant,n,conversions,sum,sum_squares)
        #[arg(long)]
        aggregates: bool,
    },
    /// List the experiments stored in the workspace
    List,
    /// Analyse an experiment stored in the workspace
    Show { id: i64 },
    /// Read an imported ad report's split test as an experiment and analyse it
    /// (without --trials/--conversions: list the arms and metrics it offers)
    FromImport {
        /// The import's number (rebound imports list)
        import: i64,
        /// What the variants are: ad_set, ad or campaign
        #[arg(long, default_value = "ad_set")]
        by: String,
        /// Metric each unit had a chance to convert from, e.g. impressions
        #[arg(long)]
        trials: Option<String>,
        /// Metric that counts as a conversion, e.g. clicks or "other:Landing page views"
        #[arg(long)]
        conversions: Option<String>,
        /// The variant to compare the others with [default: the first]
        #[arg(long)]
        control: Option<String>,
        /// Name of the experiment
        #[arg(long)]
        name: Option<String>,
    },
    /// Split a segment's members at random among arms (a holdout, or versions
    /// of a creative or sequence step) and read each person's outcome from
    /// the event log: stored as an experiment and analysed
    FromSegment {
        /// A saved segment's name or a template's key (rebound segment list)
        segment: String,
        /// Start day, YYYY-MM-DD: the segment's members as of the end of this
        /// day (UTC), as `segment count --as-of` counts them; outcomes count
        /// from then. Default: the last day of the events the segment reads
        #[arg(long, value_name = "DATE")]
        start: Option<NaiveDate>,
        /// Last day outcomes count, YYYY-MM-DD (inclusive). Default: 14 days
        /// after the start day
        #[arg(long, value_name = "DATE")]
        end: Option<NaiveDate>,
        /// Arms and their shares, NAME:WEIGHT,...; the first is the control
        #[arg(long, default_value = "Holdout:10,Treatment:90")]
        arms: String,
        /// What the arms are versions of: segment, creative or sequence_step
        #[arg(long, default_value = "segment")]
        subject: String,
        /// Seeds the split; the same seed puts the same people in the same arms
        #[arg(long, default_value_t = 1)]
        seed: u32,
        /// The event that counts as a conversion
        #[arg(long, default_value = "purchase")]
        outcome: String,
        /// Revenue of outcome events in this currency only
        #[arg(long, default_value = "USD")]
        currency: String,
        /// Days before the start whose revenue is the CUPED covariate (0: none)
        #[arg(long, default_value_t = 30)]
        pre_period_days: u32,
        /// Name of the experiment [default: "<segment> holdout"]
        #[arg(long)]
        name: Option<String>,
        /// Also write the arms (person_id,arm,email_sha256) to this CSV file
        #[arg(long, value_name = "FILE")]
        arms_csv: Option<PathBuf>,
        /// With --subject sequence_step: the flow and split step the arms
        /// are, as FLOW/STEP; people are split as the dry run with the same
        /// seed splits them
        #[arg(long, value_name = "FLOW/STEP")]
        split: Option<String>,
    },
    /// Sample size and duration for a new test
    Plan {
        /// Baseline conversion rate, 0..1 [default: from the workspace's last 30 days]
        #[arg(long)]
        baseline_rate: Option<f64>,
        /// Relative lift to detect, e.g. 0.1 for +10%
        #[arg(long)]
        mde: f64,
        /// People entering the test per day [default: from the workspace]
        #[arg(long)]
        daily_traffic: Option<f64>,
        /// Variants including the control
        #[arg(long, default_value_t = 2)]
        variants: u32,
        #[arg(long, default_value_t = 0.05)]
        alpha: f64,
        #[arg(long, default_value_t = 0.8)]
        power: f64,
    },
}

fn stats_error(error: rebound_stats::StatsError) -> Error {
    Error::Stats(error)
}

pub async fn run(command: ExperimentCommand, workspace: Option<PathBuf>) -> Result<Output, Error> {
    match command {
        ExperimentCommand::Analyze {
            file,
            variant,
            converted,
            value,
            covariate,
            control,
            alpha,
            aggregates,
        } => {
            let options = AnalysisOptions {
                control,
                alpha,
                ..AnalysisOptions::default()
            };
            let kind = if aggregates {
                CsvKind::Aggregates
            } else {
                detect_csv_kind(&file).map_err(stats_error)?
            };
            let (report, columns, rows) = match kind {
                CsvKind::Aggregates => (
                    analyze_aggregates_csv(&file, &options).map_err(stats_error)?,
                    None,
                    None,
                ),
                CsvKind::PersonRows => {
                    let columns = PersonColumns {
                        variant,
                        converted,
                        value,
                        covariate,
                    };
                    let person = read_person_csv(&file, &columns).map_err(stats_error)?;
                    let report = analyze(&person.data, &options).map_err(stats_error)?;
                    (report, Some(person.columns), Some(person.rows))
                }
            };
            Ok(Output {
                text: report_text(&report),
                json: json!({
                    "file": file.display().to_string(),
                    "kind": kind,
                    "columns": columns,
                    "rows": rows,
                    "report": report,
                }),
            })
        }
        ExperimentCommand::List => {
            let ws = Workspace::open(&workspace_path(workspace)?).await?;
            let items = api::experiments::list(&crate::context(&ws)?).await;
            ws.close().await;
            let items = items?;
            let mut text = String::new();
            for item in &items {
                text.push_str(&format!(
                    "{:>4}  {:<40} {:<9} {} variants, {} people\n",
                    item.id, item.name, item.status, item.variants, item.units
                ));
            }
            if items.is_empty() {
                text.push_str("No experiments in this workspace.\n");
            }
            text.pop();
            Ok(Output {
                text,
                json: json!({ "experiments": items }),
            })
        }
        ExperimentCommand::FromImport {
            import,
            by,
            trials,
            conversions,
            control,
            name,
        } => {
            let by: split_tests::SplitBy = serde_json::from_value(json!(by)).map_err(|_| {
                Error::InvalidInput(format!("--by must be ad_set, ad or campaign, not '{by}'"))
            })?;
            let ws = Workspace::open(&workspace_path(workspace)?).await?;
            let result = from_import(&ws, import, by, trials, conversions, control, name).await;
            ws.close().await;
            result
        }
        ExperimentCommand::FromSegment {
            segment,
            start,
            end,
            arms,
            subject,
            seed,
            outcome,
            currency,
            pre_period_days,
            name,
            arms_csv,
            split,
        } => {
            let split = split
                .map(|text| {
                    text.rsplit_once('/')
                        .filter(|(flow, step)| !flow.is_empty() && !step.is_empty())
                        .map(|(flow, step)| SplitOf {
                            flow: flow.to_string(),
                            step: step.to_string(),
                        })
                        .ok_or_else(|| {
                            Error::InvalidInput(format!(
                                "--split {text:?} is not FLOW/STEP, e.g. \"Abandoned cart/split-1\""
                            ))
                        })
                })
                .transpose()?;
            let subject: AudienceSubject =
                serde_json::from_value(json!(subject)).map_err(|_| {
                    Error::InvalidInput(format!(
                        "--subject must be segment, creative or sequence_step, not '{subject}'"
                    ))
                })?;
            let ws = Workspace::open(&workspace_path(workspace)?).await?;
            let ctx = crate::context(&ws)?;
            let result = async {
                let definition = crate::segment::named(&ws, &segment).await?;
                let start = match start {
                    Some(day) => day,
                    None => api::experiments::audience_test_start(&ctx, &definition).await?,
                };
                let end = end.unwrap_or(start + chrono::Days::new(14));
                let request = AudienceTestRequest {
                    name: name.unwrap_or_else(|| format!("{} holdout", definition.name)),
                    subject,
                    subject_id: None,
                    subject_label: definition.name.clone(),
                    arms: parse_arms(&arms)?,
                    seed,
                    start,
                    end,
                    outcome_event: outcome,
                    currency,
                    pre_period_days,
                    split,
                };
                let id = api::experiments::audience_test_create(&ctx, definition, request).await?;
                if let Some(path) = arms_csv {
                    api::experiments::audience_test_export_arms(&ctx, id, path).await?;
                }
                let detail = api::experiments::detail(&ctx, id, Default::default()).await?;
                Ok::<_, Error>(Output {
                    text: format!(
                        "Stored as experiment {id}: {} ({} people)\n{}",
                        detail.experiment.name,
                        detail.experiment.units,
                        report_text(&detail.report)
                    ),
                    json: json!({ "experiment": detail.experiment, "data": detail.data, "report": detail.report }),
                })
            }
            .await;
            ws.close().await;
            result
        }
        ExperimentCommand::Show { id } => {
            let ws = Workspace::open(&workspace_path(workspace)?).await?;
            let detail =
                api::experiments::detail(&crate::context(&ws)?, id, Default::default()).await;
            ws.close().await;
            let detail = detail?;
            Ok(Output {
                text: format!(
                    "{}\n{}",
                    detail.experiment.name,
                    report_text(&detail.report)
                ),
                json: json!({ "experiment": detail.experiment, "data": detail.data, "report": detail.report }),
            })
        }
        ExperimentCommand::Plan {
            baseline_rate,
            mde,
            daily_traffic,
            variants,
            alpha,
            power,
        } => {
            let mut source = None;
            let (rate, traffic) = if baseline_rate.is_some() && daily_traffic.is_some() {
                (baseline_rate, daily_traffic)
            } else {
                let ws = Workspace::open(&workspace_path(workspace)?).await?;
                let defaults = api::experiments::planner_defaults(&crate::context(&ws)?).await;
                ws.close().await;
                let defaults = defaults?;
                source = Some(defaults.source.clone());
                (
                    baseline_rate.or(defaults.baseline_rate),
                    daily_traffic.or(defaults.daily_traffic),
                )
            };
            let rate = rate.ok_or_else(|| {
                Error::InvalidInput(
                    "give --baseline-rate: the workspace has no history to take it from".into(),
                )
            })?;
            let result = experiments::plan(&PlanRequest {
                design: Design {
                    baseline: Baseline::Rate { rate },
                    alpha,
                    power,
                    variants,
                    daily_traffic: traffic,
                },
                relative_mde: mde,
                n_per_variant: None,
            })?;
            let days = result
                .sample
                .days
                .map(|d| format!(", about {d} days"))
                .unwrap_or_default();
            Ok(Output {
                text: format!(
                    "{} people per variant ({} in all){days} to detect {:+.1}% on a {:.2}% baseline",
                    result.sample.n_per_variant,
                    result.sample.total,
                    mde * 100.0,
                    rate * 100.0
                ),
                json: json!({ "baseline_rate": rate, "daily_traffic": traffic, "source": source, "plan": to_json(&result) }),
            })
        }
    }
}

fn report_text(report: &ExperimentReport) -> String {
    let mut text = format!("{}\n", report.verdict.headline);
    for caveat in &report.verdict.caveats {
        text.push_str(&format!("  caveat: {}\n", caveat.message));
    }
    for v in &report.variants {
        let rate = v
            .rate
            .map(|r| format!("{:.4}", r))
            .unwrap_or_else(|| "-".into());
        let lift = v
            .conversion
            .as_ref()
            .and_then(|c| {
                let p = c.p_value.map(|p| format!("  p={p:.4}")).unwrap_or_default();
                c.relative_lift.map(|l| format!("{:+.2}%{p}", l * 100.0))
            })
            .unwrap_or_default();
        text.push_str(&format!(
            "  {:<24} n={:<8} rate={rate}  {lift}\n",
            v.name, v.n
        ));
    }
    text.push_str(&format!(
        "  sample ratio mismatch: p={}",
        report
            .srm
            .p_value
            .map(|p| format!("{p:.4}"))
            .unwrap_or_else(|| "-".into())
    ));
    text
}

/// `Holdout:10,Treatment:90` as arms; the first is the control.
fn parse_arms(text: &str) -> Result<Vec<AudienceArm>, Error> {
    text.split(',')
        .enumerate()
        .map(|(i, part)| {
            let (name, weight) = part.rsplit_once(':').ok_or_else(|| {
                Error::InvalidInput(format!("--arms: '{part}' is not NAME:WEIGHT"))
            })?;
            let weight = weight.trim().parse().map_err(|_| {
                Error::InvalidInput(format!(
                    "--arms: the weight of '{name}' is not a whole number"
                ))
            })?;
            Ok(AudienceArm {
                name: name.trim().to_string(),
                weight,
                is_control: i == 0,
            })
        })
        .collect()
}

async fn from_import(
    ws: &Workspace,
    import: i64,
    by: split_tests::SplitBy,
    trials: Option<String>,
    conversions: Option<String>,
    control: Option<String>,
    name: Option<String>,
) -> Result<Output, Error> {
    let (Some(trials), Some(conversions)) = (trials, conversions) else {
        let options = split_tests::options(ws, import).await?;
        let mut text = format!("{} can be read as a test of:", options.file_name);
        for g in &options.groupings {
            let names: Vec<&str> = g.arms.iter().map(|a| a.name.as_str()).collect();
            text.push_str(&format!(
                "\n  --by {}: {}",
                to_json(&g.by).as_str().unwrap_or(""),
                names.join(", ")
            ));
        }
        text.push_str("\nwith --trials and --conversions among:");
        for m in &options.metrics {
            text.push_str(&format!("\n  {} ({}, {} in all)", m.key, m.label, m.total));
        }
        return Ok(Output {
            text,
            json: json!({ "options": options }),
        });
    };
    let request = split_tests::SplitRequest {
        import_id: import,
        by,
        trials,
        conversions,
        control,
        name,
    };
    let ctx = crate::context(ws)?;
    let id = api::experiments::split_test_create(&ctx, request).await?;
    let detail = api::experiments::detail(&ctx, id, Default::default()).await?;
    Ok(Output {
        text: format!(
            "Stored as experiment {id}: {}\n{}",
            detail.experiment.name,
            report_text(&detail.report)
        ),
        json: json!({ "experiment": detail.experiment, "data": detail.data, "report": detail.report }),
    })
}
