//! `rebound import FILE...` and `rebound imports list|undo|rejections`.

use std::path::PathBuf;

use clap::Subcommand;
use rebound_api as api;
use rebound_core::{CancelToken, Error, Progress, Workspace};
use rebound_import::{self as import, ImportOutcome, ImportRecord, ImportRequest, ImportStatus};
use serde_json::json;

use crate::{group_thousands, to_json, workspace_path, Output, ProgressLine};

/// Imports files one after another; each lands whole or not at all.
pub async fn import_files(
    files: Vec<PathBuf>,
    format: Option<String>,
    conversion: Option<String>,
    workspace: Option<PathBuf>,
    json_mode: bool,
) -> Result<Output, Error> {
    let format = match format {
        None => None,
        Some(key) => Some(import::parse_format_key(&key).ok_or_else(|| {
            Error::InvalidInput(format!(
                "unknown format '{key}'; the formats are: {}",
                import::choosable()
                    .map(import::format_key)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?),
    };
    let path = workspace_path(workspace)?;
    let workspace = Workspace::open_or_create(&path).await?;
    let cancel = CancelToken::new();
    let on_ctrl_c = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_ctrl_c.cancel();
        }
    });
    let reporter = ProgressLine::new(json_mode);
    let on_progress = |p: &Progress| reporter.show(p);
    let ctx = crate::context(&workspace)?
        .with_progress(&on_progress)
        .with_cancel(cancel);
    let mut outcomes: Vec<ImportOutcome> = Vec::new();
    let mut failure = None;
    for file in &files {
        let request = ImportRequest {
            path: file.display().to_string(),
            format,
            mapping: None,
            save_mapping: false,
            conversion: conversion.clone(),
        };
        match api::import::run(&ctx, request).await {
            Ok(outcome) => outcomes.push(outcome),
            Err(error) => {
                failure = Some(error);
                break;
            }
        }
    }
    reporter.finish();
    drop(ctx);
    workspace.close().await;
    if let Some(error) = failure {
        if outcomes.is_empty() {
            return Err(error);
        }
        // Earlier files are in; say which and why the rest are not.
        return Err(Error::InvalidInput(format!(
            "{error} (imported before it: {}; files after it were not imported)",
            outcomes
                .iter()
                .map(|o| o.import.file_name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let text = outcomes
        .iter()
        .map(outcome_text)
        .collect::<Vec<_>>()
        .join("\n");
    Ok(Output {
        text,
        json: json!({ "imports": outcomes }),
    })
}

fn outcome_text(o: &ImportOutcome) -> String {
    let i = &o.import;
    if o.already_imported {
        return format!(
            "{}: already imported on {} as import {} ({}); nothing was added",
            i.file_name, i.started_at, i.id, i.format_label
        );
    }
    let mut text = format!(
        "{}: {} — {} rows read, {} imported, {} rejected in {:.1} s (import {})",
        i.file_name,
        i.format_label,
        group_thousands(i.rows_read as i64),
        group_thousands(i.rows_imported as i64),
        group_thousands(i.rows_rejected as i64),
        o.elapsed_ms as f64 / 1000.0,
        i.id
    );
    if !i.stored.is_empty() {
        text.push_str("\n  stored: ");
        text.push_str(
            &i.stored
                .iter()
                .map(|s| format!("{} {}", group_thousands(s.count as i64), s.what))
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    if let Some(note) = &i.note {
        text.push_str(&format!("\n  note: {note}"));
    }
    for r in &o.rejections {
        text.push_str("\n  ");
        text.push_str(&r.message(&i.file_name));
    }
    if i.rows_rejected > o.rejections.len() as u64 {
        text.push_str(&format!(
            "\n  … {} more: rebound imports rejections {}",
            i.rows_rejected - o.rejections.len() as u64,
            i.id
        ));
    }
    text
}

#[derive(Debug, Subcommand)]
pub enum ImportsCommand {
    /// The import history, newest first
    List,
    /// Undo a whole import: remove every row it added
    Undo {
        /// The import's number (from `rebound imports list`)
        id: i64,
    },
    /// The rows an import rejected, with line, column, value and reason
    Rejections {
        id: i64,
        #[arg(long, default_value_t = 0)]
        offset: u32,
        #[arg(long, default_value_t = 100)]
        limit: u32,
    },
}

fn record_line(r: &ImportRecord) -> String {
    format!(
        "{:>4}  {}  {:<9}  {}  {} ({} rows, {} rejected)",
        r.id,
        r.started_at,
        match r.status {
            ImportStatus::Complete => "complete",
            ImportStatus::Undone => "undone",
        },
        r.file_name,
        r.format_label,
        group_thousands(r.rows_imported as i64),
        group_thousands(r.rows_rejected as i64)
    )
}

pub async fn run(command: ImportsCommand, workspace: Option<PathBuf>) -> Result<Output, Error> {
    let path = workspace_path(workspace)?;
    let workspace = Workspace::open(&path).await?;
    let ctx = crate::context(&workspace)?;
    let result = match command {
        ImportsCommand::List => api::import::list(&ctx).await.map(|list| Output {
            text: if list.is_empty() {
                "No imports yet".to_string()
            } else {
                list.iter().map(record_line).collect::<Vec<_>>().join("\n")
            },
            json: json!({ "imports": list }),
        }),
        ImportsCommand::Undo { id } => api::import::undo(&ctx, id).await.map(|r| Output {
            text: format!(
                "Undid import {} of {}: its {} rows were removed",
                r.id,
                r.file_name,
                group_thousands(r.rows_imported as i64)
            ),
            json: json!({ "import": r }),
        }),
        ImportsCommand::Rejections { id, offset, limit } => {
            let file = import::record(&workspace, id).await.map(|r| r.file_name);
            match file {
                Err(e) => Err(e),
                Ok(file) => api::import::rejections(&ctx, id, offset, limit)
                    .await
                    .map(|page| Output {
                        text: if page.rows.is_empty() {
                            format!("No rejected rows listed for import {id}")
                        } else {
                            page.rows
                                .iter()
                                .map(|r| r.message(&file))
                                .collect::<Vec<_>>()
                                .join("\n")
                        },
                        json: to_json(&page),
                    }),
            }
        }
    };
    workspace.close().await;
    result
}
