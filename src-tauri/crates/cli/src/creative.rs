//! `rebound creative …`: the templates, the formats, people worth previewing,
//! and `render`: one person's ad in one format to an SVG or PNG file, with
//! the products picked for them (and why) and the linter's findings.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};
use rebound_core::{Error, Workspace};
use rebound_creatives::{self as creatives, AdFormat, Severity};
use serde_json::json;

use crate::{to_json, workspace_path, Output};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileKind {
    Png,
    Svg,
}

#[derive(Subcommand)]
pub enum CreativeCommand {
    /// The workspace's creative templates (the demo brand's are added the first time)
    Templates,
    /// The ad formats, their sizes and text limits
    Formats,
    /// People worth previewing: recent cart additions they did not buy, then
    /// recent product views
    People {
        #[arg(long, default_value_t = 10)]
        limit: u32,
        /// As of the end of this day, YYYY-MM-DD (UTC) [default: the last day
        /// of product views and cart additions]
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
    },
    /// Render one person's ad to an SVG or PNG file
    Render {
        /// Template name (or id), see `rebound creative templates`
        #[arg(long)]
        template: String,
        /// Person id
        #[arg(long)]
        person: i64,
        /// Format id or short name (meta_square, 4:5, 9:16, carousel, 300x250, ...)
        #[arg(long)]
        format: String,
        /// Where to write the file
        #[arg(long)]
        out: PathBuf,
        /// File type [default: from the --out extension, else png]
        #[arg(long = "as", value_enum)]
        kind: Option<FileKind>,
        /// Folder of local product images [default: the workspace's images folder]
        #[arg(long, value_name = "DIR")]
        images: Option<PathBuf>,
        /// As of the end of this day, YYYY-MM-DD (UTC) [default: the last day
        /// of product events]
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
    },
}

fn creative_error(error: creatives::Error) -> Error {
    match error {
        creatives::Error::Io { op, path, source } => Error::Io { op, path, source },
        other => other.into(),
    }
}

/// What a default "as of" follows: the events suggestions read, or all
/// product events for a preview.
#[derive(Clone, Copy)]
enum Moment {
    Suggestions,
    Preview,
}

/// The end of `day`, else the end of the last day of the events `moment`
/// reads (`now` without any).
async fn as_of(
    ws: &Workspace,
    day: Option<NaiveDate>,
    moment: Moment,
    now: i64,
) -> Result<i64, Error> {
    let default = match (day, moment) {
        (Some(day), _) => return Ok(rebound_segments::end_of_day(day)),
        (None, Moment::Suggestions) => creatives::suggestion_moment(ws, now).await,
        (None, Moment::Preview) => creatives::preview_moment(ws, now).await,
    };
    default.map_err(creative_error)
}

pub async fn run(command: CreativeCommand, workspace: Option<PathBuf>) -> Result<Output, Error> {
    if let CreativeCommand::Formats = command {
        let formats = creatives::formats();
        let mut text = String::new();
        for f in &formats {
            text.push_str(&format!(
                "{:<18} {:<16} {:>4}×{:<4}  headline {:>3}, description {:>3}, call to action {:>2}\n",
                f.format.id(),
                f.label,
                f.width,
                f.height,
                f.limits.headline,
                f.limits.description,
                f.limits.call_to_action
            ));
        }
        text.pop();
        return Ok(Output {
            text,
            json: json!({ "formats": to_json(&formats) }),
        });
    }
    let ws = Workspace::open(&workspace_path(workspace)?).await?;
    let result = run_in(command, &ws).await;
    ws.close().await;
    result
}

async fn run_in(command: CreativeCommand, ws: &Workspace) -> Result<Output, Error> {
    let now = ws.now().timestamp_micros();
    match command {
        CreativeCommand::Formats => unreachable!("handled without a workspace"),
        CreativeCommand::Templates => {
            let templates = creatives::list_templates(ws, now)
                .await
                .map_err(creative_error)?;
            let mut text = String::new();
            for t in &templates {
                text.push_str(&format!(
                    "{:>4}  {:<40} {}\n",
                    t.id,
                    t.definition.name,
                    t.definition.default_format.id()
                ));
            }
            text.pop();
            Ok(Output {
                text,
                json: json!({ "templates": to_json(&templates) }),
            })
        }
        CreativeCommand::People { limit, as_of: day } => {
            let people = creatives::suggested_people(
                ws,
                as_of(ws, day, Moment::Suggestions, now).await?,
                limit,
            )
            .await
            .map_err(creative_error)?;
            let mut text = String::new();
            for p in &people {
                text.push_str(&format!(
                    "{:>7}  {:<12} {:<6} {}\n",
                    p.person.id,
                    p.person.first_name.as_deref().unwrap_or("-"),
                    p.person.locale,
                    p.summary
                ));
            }
            text.pop();
            Ok(Output {
                text,
                json: json!({ "people": to_json(&people) }),
            })
        }
        CreativeCommand::Render {
            template,
            person,
            format,
            out,
            kind,
            images,
            as_of: day,
        } => {
            let format = AdFormat::parse(&format).map_err(creative_error)?;
            let template = creatives::find_template(ws, &template, now)
                .await
                .map_err(creative_error)?;
            let folder = match images {
                Some(dir) => Some(dir),
                None => creatives::images_folder(ws).await.map_err(creative_error)?,
            };
            let preview = creatives::preview(
                ws,
                &template.definition,
                format,
                person,
                as_of(ws, day, Moment::Preview, now).await?,
                folder.as_deref(),
            )
            .await
            .map_err(creative_error)?;
            let kind = kind.unwrap_or_else(|| {
                match out
                    .extension()
                    .and_then(|e| e.to_str())
                    .map(str::to_ascii_lowercase)
                    .as_deref()
                {
                    Some("svg") => FileKind::Svg,
                    _ => FileKind::Png,
                }
            });
            let bytes = match kind {
                FileKind::Svg => preview.ad.svg.clone().into_bytes(),
                FileKind::Png => creatives::svg_to_png(&preview.ad.svg).map_err(creative_error)?,
            };
            std::fs::write(&out, &bytes).map_err(|source| Error::Io {
                op: "write",
                path: out.clone(),
                source,
            })?;
            let errors = preview
                .findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .count();
            let mut text = format!(
                "Wrote {} ({}×{}, {} bytes): {} for person {} in {}\n",
                out.display(),
                preview.ad.width,
                preview.ad.height,
                bytes.len(),
                template.definition.name,
                person,
                format.label()
            );
            text.push_str("Products:\n");
            for p in &preview.picks {
                text.push_str(&format!("  {} — {}\n", p.product.title, p.reason));
            }
            if preview.findings.is_empty() {
                text.push_str("Linter: nothing to fix");
            } else {
                text.push_str(&format!("Linter ({} errors):\n", errors));
                for f in &preview.findings {
                    let severity = if f.severity == Severity::Error {
                        "error"
                    } else {
                        "warning"
                    };
                    text.push_str(&format!("  {severity}: {}\n", f.message));
                }
                text.pop();
            }
            Ok(Output {
                text,
                json: json!({
                    "file": {
                        "path": out.display().to_string(),
                        "kind": if kind == FileKind::Png { "png" } else { "svg" },
                        "bytes": bytes.len(),
                        "width": preview.ad.width,
                        "height": preview.ad.height,
                    },
                    "template": { "id": template.id, "name": template.definition.name },
                    "format": to_json(&format.spec()),
                    "person": to_json(&preview.person),
                    "product_ids": preview.ad.product_ids,
                    "picks": to_json(&preview.picks),
                    "texts": to_json(&preview.ad.texts),
                    "images": to_json(&preview.ad.images),
                    "findings": to_json(&preview.findings),
                }),
            })
        }
    }
}
