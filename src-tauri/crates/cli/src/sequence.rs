//! `rebound sequence …`: list flows, print a built-in flow, dry-run a flow
//! file over the workspace's history, and export a flow's audience as CSV.
//! A flow is named by a JSON file (a flow, or an export file), else by a
//! saved flow's name, else by a built-in template key.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use rebound_api::{self as api, Ctx};
use rebound_core::{CancelToken, Error, Progress, Workspace};
use rebound_sequences::{self as seq, DryRun, DryRunOptions, Flow};
use serde_json::json;

use crate::{to_json, workspace_path, Output, ProgressLine};

#[derive(Args)]
pub struct Replay {
    /// A flow JSON file (or a flow export file), a saved flow's name, or a template key
    flow: String,
    /// First day of the period, YYYY-MM-DD (UTC)
    #[arg(long, value_name = "DATE")]
    from: NaiveDate,
    /// Last day of the period, inclusive, YYYY-MM-DD (UTC)
    #[arg(long, value_name = "DATE")]
    to: NaiveDate,
    /// Seed for the random split and for opens of unsent messages
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Include this person's timeline in the result
    #[arg(long, value_name = "ID")]
    person: Option<i64>,
}

#[derive(Subcommand)]
pub enum SequenceCommand {
    /// Saved flows and the built-in templates
    List,
    /// A flow as JSON (a saved flow's name or a template key)
    Show { flow: String },
    /// Replay the workspace's history through a flow (a dry run; nothing is sent)
    Simulate(Replay),
    /// Write the audience of a dry run as an ESP-ready CSV
    Audience {
        #[command(flatten)]
        replay: Replay,
        /// Where to write the CSV
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

fn seq_error(error: seq::Error) -> Error {
    match error {
        seq::Error::Cancelled => Error::Cancelled,
        other => other.into(),
    }
}

async fn resolve(ws: &Workspace, name: &str) -> Result<Flow, Error> {
    let path = PathBuf::from(name);
    if path.is_file() {
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
            op: "read",
            path: path.clone(),
            source,
        })?;
        return seq::parse_flow(&text, &path.display().to_string()).map_err(seq_error);
    }
    if let Some(saved) = seq::list_flows(ws)
        .await
        .map_err(seq_error)?
        .into_iter()
        .find(|s| s.flow.name == name)
    {
        return Ok(saved.flow);
    }
    seq::templates()
        .into_iter()
        .find(|t| t.key == name)
        .map(|t| t.flow)
        .ok_or_else(|| {
            Error::InvalidInput(format!(
                "{name} is not a file, a saved flow or a template; see `rebound sequence list`"
            ))
        })
}

/// Replays history through the flow `r` names with `run` (the dry run, or
/// the dry run and its audience CSV), with progress on stderr and Ctrl-C to
/// cancel.
async fn replay<T>(
    ws: &Workspace,
    r: &Replay,
    json: bool,
    run: impl AsyncFnOnce(&Ctx<'_>, Flow, DryRunOptions) -> Result<T, Error>,
) -> Result<(Flow, T), Error> {
    let flow = resolve(ws, &r.flow).await?;
    let options = DryRunOptions {
        from: r.from.to_string(),
        to: r.to.to_string(),
        seed: r.seed,
        person_id: r.person,
    };
    let cancel = CancelToken::new();
    let on_ctrl_c = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_ctrl_c.cancel();
        }
    });
    let reporter = ProgressLine::new(json);
    let on_progress = |p: &Progress| reporter.show(p);
    let ctx = crate::context(ws)?
        .with_progress(&on_progress)
        .with_cancel(cancel);
    let result = run(&ctx, flow.clone(), options).await;
    reporter.finish();
    Ok((flow, result?))
}

fn summary_text(run: &DryRun) -> String {
    let mut text = format!(
        "{} from {} to {} (seed {}): {} entered, {} exited, {} completed, {} still in the flow\n",
        run.flow,
        run.from,
        run.to,
        run.seed,
        run.entered,
        run.exited,
        run.completed,
        run.still_in_flow
    );
    for s in &run.steps {
        let indent = "  ".repeat(s.depth as usize + 1);
        let mut line = format!("{indent}{:<16} {:>6} reached", s.step_id, s.reached);
        if s.kind == "message" || s.kind == "retarget" {
            line.push_str(&format!(
                ", {} sent, {} held, {} capped, {} without consent",
                s.sent, s.held, s.capped, s.no_consent
            ));
        }
        if s.kind == "branch" {
            line.push_str(&format!(", {} yes, {} no", s.yes, s.no));
        }
        for a in &s.arms {
            line.push_str(&format!(", {}: {}", a.arm, a.people));
        }
        text.push_str(&line);
        text.push('\n');
    }
    text.push_str(&format!(
        "Conversions ({} within {} days): {} observed in history, {:.1} projected from the flow's touches",
        run.conversions.goal, run.conversions.within_days, run.conversions.observed, run.conversions.projected
    ));
    text
}

pub async fn run(
    command: SequenceCommand,
    workspace: Option<PathBuf>,
    json: bool,
) -> Result<Output, Error> {
    let ws = Workspace::open(&workspace_path(workspace)?).await?;
    let result = run_in(command, &ws, json).await;
    ws.close().await;
    result
}

async fn run_in(command: SequenceCommand, ws: &Workspace, json: bool) -> Result<Output, Error> {
    match command {
        SequenceCommand::List => {
            let saved = seq::list_flows(ws).await.map_err(seq_error)?;
            let templates: Vec<_> = seq::templates()
                .into_iter()
                .map(|t| json!({ "key": t.key, "name": t.flow.name }))
                .collect();
            let mut text = String::from("Saved:\n");
            for s in &saved {
                text.push_str(&format!("  {} ({})\n", s.flow.name, s.status.as_str()));
            }
            if saved.is_empty() {
                text.push_str("  (none)\n");
            }
            text.push_str("Templates:\n");
            for t in &templates {
                text.push_str(&format!(
                    "  {:<24} {}\n",
                    t["key"].as_str().unwrap_or_default(),
                    t["name"].as_str().unwrap_or_default()
                ));
            }
            text.pop();
            Ok(Output {
                text,
                json: json!({ "saved": to_json(&saved), "templates": templates }),
            })
        }
        SequenceCommand::Show { flow } => {
            let flow = resolve(ws, &flow).await?;
            Ok(Output {
                text: seq::export_json(&flow),
                json: serde_json::from_str(&seq::export_json(&flow)).expect("json"),
            })
        }
        SequenceCommand::Simulate(r) => {
            let (_, run) = replay(ws, &r, json, async |ctx, flow, options| {
                api::sequences::dry_run(ctx, flow, options).await
            })
            .await?;
            Ok(Output {
                text: summary_text(&run),
                json: json!({ "dry_run": to_json(&run) }),
            })
        }
        SequenceCommand::Audience { replay: r, out } => {
            let path = out.clone();
            let (flow, rows) = replay(ws, &r, json, async |ctx, flow, options| {
                api::sequences::export_csv(ctx, flow, options, path).await
            })
            .await?;
            Ok(Output {
                text: format!(
                    "Wrote {} people who entered {} to {}",
                    rows,
                    flow.name,
                    out.display()
                ),
                json: json!({
                    "flow": flow.name,
                    "path": out.display().to_string(),
                    "rows": rows,
                    "columns": seq::export::CSV_COLUMNS,
                }),
            })
        }
    }
}
