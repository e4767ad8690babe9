//! `rebound creative …`: the templates, the formats, people worth previewing,
//! and `render`: one person's ad in one format to an SVG or PNG file, with
//! the products picked for them (and why) and the linter's findings.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Subcommand, ValueEnum};
use rebound_api::{self as api, Ctx};
use rebound_core::{Error, Workspace};
use rebound_creatives::{self as creatives, AdFormat, ImageKind, Severity};
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
    let result = run_in(command, &crate::context(&ws)?, &ws).await;
    ws.close().await;
    result
}

async fn run_in(command: CreativeCommand, ctx: &Ctx<'_>, ws: &Workspace) -> Result<Output, Error> {
    match command {
        CreativeCommand::Formats => unreachable!("handled without a workspace"),
        CreativeCommand::Templates => {
            let templates = api::creatives::templates(ctx).await?;
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
            let people = api::creatives::people(ctx, limit, day).await?;
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
            let format = AdFormat::parse(&format)?;
            let template = creatives::find_template(ws, &template, ctx.now_micros()).await?;
            let written = api::creatives::export(
                ctx,
                template.definition.clone(),
                format,
                person,
                out.clone(),
                kind.map(|k| match k {
                    FileKind::Png => ImageKind::Png,
                    FileKind::Svg => ImageKind::Svg,
                }),
                images,
                day,
            )
            .await?;
            let preview = &written.preview;
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
                written.bytes,
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
                        "kind": written.kind.as_str(),
                        "bytes": written.bytes,
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
