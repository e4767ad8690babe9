//! `rebound segment …`: list, show, count, page through and save segments.
//! A segment is named by `--file` (a definition or an export file), or by
//! name: a saved segment first, then a built-in template key.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Subcommand};
use rebound_api::{self as api, Ctx};
use rebound_core::{Error, Workspace};
use rebound_segments::{self as segments, SegmentDefinition};
use serde_json::json;

use crate::{to_json, workspace_path, Output};

#[derive(Args)]
pub struct Which {
    /// A saved segment's name or a template key (cart_abandoners, lapsed_customers, ...)
    name: Option<String>,
    /// A JSON file with one segment definition, or an export file (the first segment in it)
    #[arg(long, conflicts_with = "name")]
    file: Option<PathBuf>,
    /// Evaluate as of the end of this day, YYYY-MM-DD (UTC) [default: the last
    /// day of the events the segment is about]
    #[arg(long, value_name = "DATE")]
    as_of: Option<NaiveDate>,
}

#[derive(Subcommand)]
pub enum SegmentCommand {
    /// Saved segments and the built-in templates
    List,
    /// A segment's definition, as JSON
    Show(Which),
    /// How many people are in a segment, and how many were left out for consent
    Count(Which),
    /// The people in a segment, a page at a time
    Members {
        #[command(flatten)]
        which: Which,
        #[arg(long, default_value_t = 0)]
        offset: u64,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Save a segment (from --file, or a template by key) into the workspace
    Save(Which),
}

async fn resolve(workspace: &Workspace, which: &Which) -> Result<SegmentDefinition, Error> {
    if let Some(file) = &which.file {
        let text = std::fs::read_to_string(file).map_err(|source| Error::Io {
            op: "read",
            path: file.clone(),
            source,
        })?;
        return definition_in_file(file, &text);
    }
    let name = which
        .name
        .as_deref()
        .ok_or_else(|| Error::InvalidInput("name a segment or template, or give --file".into()))?;
    if let Ok(saved) = segments::get_segment_by_name(workspace, name).await {
        return Ok(saved.definition);
    }
    segments::templates()
        .into_iter()
        .find(|t| t.key == name)
        .map(|t| t.definition)
        .ok_or_else(|| {
            Error::InvalidInput(format!(
                "there is no saved segment or template called '{name}'; see `rebound segment list`"
            ))
        })
}

/// The definition in a `--file`: an export file when it says it is one (a
/// `"format"` field), else one definition, whose own error is reported with
/// its line and column rather than hidden behind the export reader's.
fn definition_in_file(file: &std::path::Path, text: &str) -> Result<SegmentDefinition, Error> {
    let name = file.display();
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        Error::InvalidInput(format!(
            "{name}: line {}, column {}: it is not JSON: {e}",
            e.line(),
            e.column()
        ))
    })?;
    if value.get("format").is_some() {
        return segments::parse_export(text)
            .map_err(|e| Error::InvalidInput(format!("{name}: {e}")))?
            .into_iter()
            .next()
            .ok_or_else(|| Error::InvalidInput(format!("{name} holds no segment")));
    }
    let definition = serde_json::from_str::<SegmentDefinition>(text).map_err(|e| {
        Error::InvalidInput(format!(
            "{name}: line {}, column {}: this is not a segment definition: {e}",
            e.line(),
            e.column()
        ))
    })?;
    definition
        .validate()
        .map_err(|e| Error::InvalidInput(format!("{name}: {e}")))?;
    Ok(definition)
}

/// A saved segment or template by name, as the other commands take it.
pub(crate) async fn named(workspace: &Workspace, name: &str) -> Result<SegmentDefinition, Error> {
    let which = Which {
        name: Some(name.to_string()),
        file: None,
        as_of: None,
    };
    resolve(workspace, &which).await
}

fn long_day(day: &str) -> String {
    NaiveDate::parse_from_str(day, "%Y-%m-%d")
        .map(|d| d.format("%-d %b %Y").to_string())
        .unwrap_or_else(|_| day.to_string())
}

/// "0 at the end of 1 Oct 2019: its events end on 1 Oct 2019; 53 at the end
/// of 2 Oct 2019 (--as-of 2019-10-02)."
fn zero_text(counted: &segments::SegmentCount) -> String {
    let Some(zero) = &counted.zero else {
        return String::new();
    };
    let at = rebound_core::time::as_of_day(counted.as_of).to_string();
    let mut text = format!(
        "\n0 at the end of {}: its events run from {} to {}",
        long_day(&at),
        long_day(&zero.data.first_day),
        long_day(&zero.data.last_day)
    );
    if let Some(s) = &zero.suggestion {
        text.push_str(&format!(
            "; {} at the end of {} (--as-of {})",
            s.members,
            long_day(&s.day),
            s.day
        ));
    }
    text
}

pub async fn run(command: SegmentCommand, workspace: Option<PathBuf>) -> Result<Output, Error> {
    let ws = Workspace::open(&workspace_path(workspace)?).await?;
    let result = run_in(command, &crate::context(&ws)?, &ws).await;
    ws.close().await;
    result
}

async fn run_in(command: SegmentCommand, ctx: &Ctx<'_>, ws: &Workspace) -> Result<Output, Error> {
    match command {
        SegmentCommand::List => {
            let saved = api::segments::list(ctx).await?;
            let templates: Vec<_> = segments::templates()
                .into_iter()
                .map(|t| json!({ "key": t.key, "name": t.definition.name, "purpose": t.definition.purpose }))
                .collect();
            let mut text = String::from("Saved:\n");
            for s in &saved {
                text.push_str(&format!("  {}\n", s.definition.name));
            }
            if saved.is_empty() {
                text.push_str("  (none)\n");
            }
            text.push_str("Templates:\n");
            for t in &templates {
                text.push_str(&format!(
                    "  {:<28} {}\n",
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
        SegmentCommand::Show(which) => {
            let definition = resolve(ws, &which).await?;
            let json = to_json(&definition);
            Ok(Output {
                text: serde_json::to_string_pretty(&json).expect("json"),
                json,
            })
        }
        SegmentCommand::Count(which) => {
            let definition = resolve(ws, &which).await?;
            let counted = api::segments::count(ctx, definition.clone(), which.as_of).await?;
            let left_out = if counted.left_out_without_consent && counted.without_consent > 0 {
                format!(" ({} left out without consent)", counted.without_consent)
            } else {
                String::new()
            };
            Ok(Output {
                text: format!(
                    "{}: {} {} at the end of {}{left_out}{}",
                    definition.name,
                    counted.members,
                    if counted.members == 1 {
                        "person"
                    } else {
                        "people"
                    },
                    long_day(&rebound_core::time::as_of_day(counted.as_of).to_string()),
                    zero_text(&counted)
                ),
                json: json!({ "segment": definition.name, "count": to_json(&counted) }),
            })
        }
        SegmentCommand::Members {
            which,
            offset,
            limit,
        } => {
            let definition = resolve(ws, &which).await?;
            let page =
                api::segments::members(ctx, definition.clone(), which.as_of, offset, limit).await?;
            let json = to_json(&page);
            let mut text = format!(
                "{} of {} people in {}:\n",
                page.people.len(),
                page.total,
                definition.name
            );
            for person in json["people"].as_array().into_iter().flatten() {
                text.push_str(&format!("  {}\n", person));
            }
            text.pop();
            Ok(Output {
                text,
                json: json!({ "segment": definition.name, "page": json }),
            })
        }
        SegmentCommand::Save(which) => {
            let definition = resolve(ws, &which).await?;
            let saved = api::segments::save(ctx, None, definition).await?;
            Ok(Output {
                text: format!("Saved segment '{}'", saved.definition.name),
                json: json!({ "saved": to_json(&saved) }),
            })
        }
    }
}
