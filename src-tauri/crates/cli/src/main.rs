//! `rebound`: the command-line face of Rebound, for scripting and automation.
//! Each command is a thin adapter over `rebound-core`; with `--json` it prints
//! one JSON document on stdout (shapes in this crate's README.md).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};
use num_format::{Locale, ToFormattedString};
use serde::Serialize;
use serde_json::json;

use rebound_core::paths::{AppDirs, WORKSPACE_ENV};
use rebound_core::store::{self, Workspace};
use rebound_core::{CancelToken, Error, ErrorPayload, Progress};
use rebound_demo::{self as demo, DemoOptions};

mod campaign;
mod creative;
mod experiment;
mod import;
mod segment;
mod sequence;

#[derive(Parser)]
#[command(
    name = "rebound",
    version,
    about = "Rebound from the command line: create workspaces, build demo data, inspect what a workspace holds.",
    after_help = "Every command accepts --json and then prints one JSON document on stdout."
)]
struct Cli {
    /// Workspace file to work on [default: the app's default workspace]
    #[arg(long, global = true, env = WORKSPACE_ENV, value_name = "PATH")]
    workspace: Option<PathBuf>,

    /// Print the result as JSON on stdout (errors too, as {"error": {code, message}})
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new, empty workspace file
    Init {
        /// Where to create it [default: --workspace, or the default workspace]
        path: Option<PathBuf>,
    },
    /// Fill a workspace with deterministic, realistic demo data
    Demo {
        /// How many people to generate
        #[arg(long, default_value_t = 10_000)]
        people: u32,
        /// Random seed; the same seed, people and end date give the same data
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Last day of the 90 days of history, YYYY-MM-DD [default: today, UTC]
        #[arg(long, value_name = "DATE")]
        until: Option<NaiveDate>,
        /// Replace the workspace file if it already holds data
        #[arg(long)]
        replace: bool,
        /// The currency the demo shop sells in: USD, EUR, GBP, JPY, KRW, HUF or KWD
        #[arg(long, default_value = demo::CURRENCY, value_name = "CODE")]
        currency: String,
    },
    /// Show what a workspace holds: rows per table, format version, size
    Info,
    /// Import export files (format detected from content); each lands whole or not at all
    Import {
        /// The files to import, one after another
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Read the files as this format instead of the detected one
        /// (e.g. google_ads_report, rees46_events, generic_csv)
        #[arg(long, value_name = "FORMAT")]
        format: Option<String>,
        /// For an A/B results file with one row per person: the yes/no column
        /// that counts as the conversion (e.g. retention_7) [default: the first]
        #[arg(long, value_name = "COLUMN")]
        conversion: Option<String>,
    },
    /// List past imports, undo one, or list the rows one rejected
    Imports {
        #[command(subcommand)]
        command: import::ImportsCommand,
    },
    /// Count, list and save behaviour-based segments
    Segment {
        #[command(subcommand)]
        command: segment::SegmentCommand,
    },
    /// Flows (sequences and journeys): list, show, dry-run over history, export the audience
    Sequence {
        #[command(subcommand)]
        command: sequence::SequenceCommand,
    },
    /// Campaign KPIs per currency: by day, week, month, channel or campaign, with the previous period
    Metrics(campaign::MetricsArgs),
    /// List campaigns; compare attribution models; find over-messaged people
    Campaign {
        #[command(subcommand)]
        command: campaign::CampaignCommand,
    },
    /// Dynamic product ads: templates, formats, and one person's ad rendered to SVG/PNG
    Creative {
        #[command(subcommand)]
        command: creative::CreativeCommand,
    },
    /// Analyse A/B tests: files, or the experiments stored in a workspace
    Experiment {
        #[command(subcommand)]
        command: experiment::ExperimentCommand,
    },
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_env("REBOUND_LOG"))
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let json = cli.json;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    match runtime.block_on(run(cli)) {
        Ok(output) => {
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&output.json).expect("json")
                );
            } else {
                println!("{}", output.text);
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            let payload = ErrorPayload::from(&error);
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&json!({ "error": payload })).expect("json")
                );
            } else {
                eprintln!("error: {}", payload.message);
            }
            ExitCode::FAILURE
        }
    }
}

pub(crate) struct Output {
    pub json: serde_json::Value,
    pub text: String,
}

pub(crate) fn workspace_path(explicit: Option<PathBuf>) -> Result<PathBuf, Error> {
    match explicit {
        Some(path) => Ok(path),
        None => Ok(AppDirs::from_env()?.default_workspace()),
    }
}

/// The API's context for a command on `workspace`: its clock, and the app's
/// folders from the environment.
pub(crate) fn context(workspace: &Workspace) -> Result<rebound_api::Ctx<'static>, Error> {
    Ok(rebound_api::Ctx::workspace(
        workspace.clone(),
        AppDirs::from_env()?,
    ))
}

fn summary(workspace: &Workspace) -> serde_json::Value {
    json!({ "path": workspace.path().display().to_string(), "name": workspace.name() })
}

async fn run(cli: Cli) -> Result<Output, Error> {
    match cli.command {
        Command::Init { path } => {
            let path = workspace_path(path.or(cli.workspace))?;
            let workspace = Workspace::create(&path).await?;
            let info = workspace.info().await?;
            let out = Output {
                text: format!(
                    "Created workspace {} (format {})",
                    path.display(),
                    info.schema_version
                ),
                json: json!({ "workspace": summary(&workspace), "schema_version": info.schema_version }),
            };
            workspace.close().await;
            Ok(out)
        }
        Command::Demo {
            people,
            seed,
            until,
            replace,
            currency,
        } => {
            let path = workspace_path(cli.workspace)?;
            let options = DemoOptions {
                people,
                seed,
                end_date: until.unwrap_or_else(|| rebound_core::time::system_clock().date_naive()),
                currency,
            };
            let cancel = CancelToken::new();
            let on_ctrl_c = cancel.clone();
            tokio::spawn(async move {
                if tokio::signal::ctrl_c().await.is_ok() {
                    on_ctrl_c.cancel();
                }
            });
            let reporter = ProgressLine::new(cli.json);
            let on_progress = |p: &Progress| reporter.show(p);
            let summary_out = if replace {
                demo::build_file(&path, &options, &on_progress, &cancel).await
            } else {
                let workspace = Workspace::open_or_create(&path).await?;
                let result = demo::generate(&workspace, &options, &on_progress, &cancel).await;
                workspace.close().await;
                result
            };
            reporter.finish();
            let s = summary_out?;
            Ok(Output {
                text: format!(
                    "Built demo data in {}: {} people, {} events, {} orders, {} revenue {} ({} to {}) in {:.1} s",
                    path.display(),
                    s.people,
                    s.events,
                    s.orders,
                    s.currency,
                    rebound_core::money::grouped(s.revenue_minor, &s.currency),
                    s.first_day,
                    s.last_day,
                    s.elapsed_ms as f64 / 1000.0
                ),
                json: json!({
                    "workspace": { "path": path.display().to_string(), "name": store::display_name(&path) },
                    "demo": s,
                }),
            })
        }
        Command::Import {
            files,
            format,
            conversion,
        } => import::import_files(files, format, conversion, cli.workspace, cli.json).await,
        Command::Imports { command } => import::run(command, cli.workspace).await,
        Command::Experiment { command } => experiment::run(command, cli.workspace).await,
        Command::Segment { command } => segment::run(command, cli.workspace).await,
        Command::Sequence { command } => sequence::run(command, cli.workspace, cli.json).await,
        Command::Metrics(args) => campaign::metrics(args, cli.workspace).await,
        Command::Campaign { command } => campaign::run(command, cli.workspace).await,
        Command::Creative { command } => creative::run(command, cli.workspace).await,
        Command::Info => {
            let path = workspace_path(cli.workspace)?;
            let workspace = Workspace::open(&path).await?;
            let info = rebound_api::workspace::info(&context(&workspace)?).await;
            workspace.close().await;
            let info = info?;
            Ok(Output {
                text: info_text(&info),
                json: to_json(&info),
            })
        }
    }
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).expect("serialisable")
}

fn info_text(info: &store::WorkspaceInfo) -> String {
    let mut text = format!(
        "Workspace {} ({})\nFormat {} · {:.1} MB\n",
        info.name,
        info.path,
        info.schema_version,
        info.file_size_bytes as f64 / 1_048_576.0
    );
    let width = info.tables.iter().map(|t| t.table.len()).max().unwrap_or(0);
    for t in &info.tables {
        text.push_str(&format!(
            "  {:<width$}  {:>12}\n",
            t.table,
            group_thousands(t.rows)
        ));
    }
    text.pop();
    text
}

fn group_thousands(n: i64) -> String {
    n.to_formatted_string(&Locale::en)
}

/// Progress on stderr: one self-rewriting line on a terminal; with `--json`,
/// one `{"progress": {...}}` object per line, so scripts can follow along.
pub(crate) struct ProgressLine {
    terminal: bool,
    json: bool,
}

impl ProgressLine {
    pub(crate) fn new(json: bool) -> ProgressLine {
        ProgressLine {
            terminal: !json && std::io::stderr().is_terminal(),
            json,
        }
    }

    pub(crate) fn show(&self, p: &Progress) {
        let mut err = std::io::stderr();
        if self.json {
            let _ = writeln!(err, "{}", json!({ "progress": p }));
            return;
        }
        if !self.terminal {
            return;
        }
        let _ = write!(err, "\r\x1b[2K{} — Ctrl-C cancels", progress_text(p));
        let _ = err.flush();
    }

    pub(crate) fn finish(&self) {
        if self.terminal {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}

/// "42% Importing x.csv: 120,000 rows, 16.0 of 38.2 MB, 52,000 rows/s, 3 s left"
fn progress_text(p: &Progress) -> String {
    let mut text = String::new();
    if let Some(f) = p.fraction() {
        text.push_str(&format!("{:>3.0}% ", f * 100.0));
    }
    text.push_str(&format!(
        "{}: {} {}",
        p.stage,
        group_thousands(p.done as i64),
        p.unit
    ));
    if let (Some(done), Some(total)) = (p.bytes_done, p.bytes_total) {
        text.push_str(&format!(
            ", {:.1} of {:.1} MB",
            done as f64 / 1_048_576.0,
            total as f64 / 1_048_576.0
        ));
    }
    if let Some(rate) = p.rate() {
        text.push_str(&format!(", {} {}/s", group_thousands(rate as i64), p.unit));
    }
    if let Some(ms) = p.remaining_ms() {
        text.push_str(&format!(", {} s left", ms.div_ceil(1000)));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
        assert_eq!(group_thousands(-1_000), "-1,000");
    }

    #[test]
    fn progress_says_rows_bytes_rate_and_time_left() {
        let p = Progress {
            stage: "Importing x.csv".into(),
            done: 120_000,
            total: None,
            unit: "rows".into(),
            elapsed_ms: 2_000,
            bytes_done: Some(16 * 1_048_576),
            bytes_total: Some(64 * 1_048_576),
        };
        assert_eq!(
            progress_text(&p),
            " 25% Importing x.csv: 120,000 rows, 16.0 of 64.0 MB, 60,000 rows/s, 6 s left"
        );
    }
}
