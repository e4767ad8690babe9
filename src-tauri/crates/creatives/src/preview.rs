//! Previews: the ad one person would see (with the picks, their reasons and
//! the linter's findings), a grid of the ads a sample of a segment would see,
//! and a short list of people worth previewing. Every function takes its
//! "as of" time, so previews of the same workspace are the same.

use std::path::Path;

use rebound_core::time::MICROS_PER_DAY;
use rebound_core::Workspace;
use rebound_segments::SegmentDefinition;
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::format::AdFormat;
use crate::lint::{lint, Finding, Severity};
use crate::picks::{catalog, picks_for_person, Catalog, Pick, Product};
use crate::render::{render, AdPerson, RenderedAd};
use crate::template::TemplateDefinition;

/// Who a preview is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PreviewPerson {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(optional)]
    pub first_name: Option<String>,
    #[ts(optional)]
    pub last_name: Option<String>,
    #[ts(optional)]
    pub country: Option<String>,
    pub locale: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Preview {
    pub person: PreviewPerson,
    pub picks: Vec<Pick>,
    pub ad: RenderedAd,
    pub findings: Vec<Finding>,
}

/// A person's ad written to a file, with the preview it was rendered from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct CreativeFile {
    pub path: String,
    pub kind: crate::render::ImageKind,
    #[ts(type = "number")]
    pub bytes: u64,
    pub preview: Preview,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct GridCell {
    pub person: PreviewPerson,
    pub ad: RenderedAd,
    pub picks: Vec<Pick>,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PreviewGrid {
    pub segment: String,
    /// People in the segment (after its consent policy).
    #[ts(type = "number")]
    pub members: u64,
    pub cells: Vec<GridCell>,
    /// Cells with at least one error finding.
    pub cells_with_errors: u32,
}

/// A person worth previewing, with what they did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SuggestedPerson {
    pub person: PreviewPerson,
    pub summary: String,
}

const DEFAULT_LOCALE: &str = "en-US";

fn person_from_row(row: &sqlx::sqlite::SqliteRow) -> PreviewPerson {
    let locale: Option<String> = row.get("locale");
    PreviewPerson {
        id: row.get("id"),
        first_name: row.get("first_name"),
        last_name: row.get("last_name"),
        country: row.get("country"),
        locale: locale
            .filter(|l| !l.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_LOCALE.to_string()),
    }
}

pub async fn load_person(workspace: &Workspace, id: i64) -> Result<PreviewPerson> {
    let row =
        sqlx::query("SELECT id, first_name, last_name, country, locale FROM people WHERE id = ?1")
            .bind(id)
            .fetch_optional(workspace.pool())
            .await
            .map_err(Error::db("reading a person"))?
            .ok_or(Error::PersonNotFound(id))?;
    Ok(person_from_row(&row))
}

fn ad_person(p: &PreviewPerson) -> AdPerson {
    AdPerson {
        id: p.id,
        first_name: p.first_name.clone(),
        locale: p.locale.clone(),
    }
}

/// Renders and lints one person's ad, given the workspace's catalog.
pub async fn preview_with(
    workspace: &Workspace,
    catalog: &Catalog,
    template: &TemplateDefinition,
    format: AdFormat,
    person: PreviewPerson,
    as_of: i64,
    images: Option<&Path>,
) -> Result<Preview> {
    let max = format.max_products() as usize;
    let min = if format == AdFormat::MetaCarousel {
        2
    } else {
        1
    };
    let picks = picks_for_person(workspace, catalog, person.id, as_of, max.max(3), min).await?;
    let ad = render(template, format, &ad_person(&person), &picks, images);
    let shown: Vec<Product> = picks.iter().take(max).map(|p| p.product.clone()).collect();
    let findings = lint(&ad, &shown);
    Ok(Preview {
        person,
        picks,
        ad,
        findings,
    })
}

/// The ad one person would see, as of `as_of` (UTC micros).
pub async fn preview(
    workspace: &Workspace,
    template: &TemplateDefinition,
    format: AdFormat,
    person_id: i64,
    as_of: i64,
    images: Option<&Path>,
) -> Result<Preview> {
    template.validate()?;
    let person = load_person(workspace, person_id).await?;
    let catalog = catalog(workspace, as_of).await?;
    preview_with(workspace, &catalog, template, format, person, as_of, images).await
}

/// The ads of a deterministic sample (`size`, `seed`) of a segment's members.
#[allow(clippy::too_many_arguments)]
pub async fn preview_grid(
    workspace: &Workspace,
    template: &TemplateDefinition,
    format: AdFormat,
    segment: &SegmentDefinition,
    as_of: i64,
    size: u32,
    seed: u64,
    images: Option<&Path>,
) -> Result<PreviewGrid> {
    template.validate()?;
    let count = rebound_segments::count(workspace, segment, as_of).await?;
    let sample = rebound_segments::sample(workspace, segment, as_of, size.min(48), seed).await?;
    let catalog = catalog(workspace, as_of).await?;
    let mut cells = Vec::with_capacity(sample.len());
    for member in sample {
        let person = load_person(workspace, member.person_id).await?;
        let p = preview_with(workspace, &catalog, template, format, person, as_of, images).await?;
        cells.push(GridCell {
            person: p.person,
            ad: p.ad,
            picks: p.picks,
            findings: p.findings,
        });
    }
    let cells_with_errors = cells
        .iter()
        .filter(|c| c.findings.iter().any(|f| f.severity == Severity::Error))
        .count() as u32;
    Ok(PreviewGrid {
        segment: segment.name.clone(),
        members: count.members,
        cells,
        cells_with_errors,
    })
}

/// The product events previews read.
pub const BEHAVIOUR_EVENTS: [&str; 3] = ["view_item", "add_to_cart", "purchase"];

/// The moment previews are for: the end of the last day of product
/// behaviour in the workspace (for imported logs, their last day), or `now`
/// in a workspace without any.
pub async fn preview_moment(workspace: &Workspace, now: i64) -> Result<i64> {
    let names: Vec<String> = BEHAVIOUR_EVENTS.iter().map(|n| n.to_string()).collect();
    rebound_core::time::data_end(workspace, &names, now)
        .await
        .map_err(|e| Error::Segment(e.into()))
}

/// The moment people are suggested for: the end of the last day of product
/// views and cart additions, which suggestions read (orders from a store can
/// run years past an event log), or `now` in a workspace without any.
pub async fn suggestion_moment(workspace: &Workspace, now: i64) -> Result<i64> {
    let names = ["add_to_cart".to_string(), "view_item".to_string()];
    rebound_core::time::data_end(workspace, &names, now)
        .await
        .map_err(|e| Error::Segment(e.into()))
}

/// People whose ads are worth a look, at most `limit`: first those with the
/// most recent cart additions they did not buy, then the most recent product
/// viewers who did not buy, in the 30 days up to `as_of`.
pub async fn suggested_people(
    workspace: &Workspace,
    as_of: i64,
    limit: u32,
) -> Result<Vec<SuggestedPerson>> {
    let mut out: Vec<SuggestedPerson> = Vec::new();
    for (event, said) in [("add_to_cart", "Carted"), ("view_item", "Viewed")] {
        let left = i64::from(limit) - out.len() as i64;
        if left <= 0 {
            break;
        }
        let taken: Vec<i64> = out.iter().map(|s| s.person.id).collect();
        let rows = sqlx::query(
            "SELECT p.id, p.first_name, p.last_name, p.country, p.locale, pr.title, max(e.ts) AS last
             FROM events e JOIN people p ON p.id = e.person_id JOIN products pr ON pr.id = e.product_id
             WHERE e.name = ?1 AND e.ts < ?2 AND e.ts >= ?5
               AND e.person_id NOT IN (SELECT value FROM json_each(?4))
               AND NOT EXISTS (SELECT 1 FROM events b WHERE b.person_id = e.person_id AND b.name = 'purchase'
                               AND b.product_id = e.product_id AND b.ts < ?2)
             GROUP BY p.id
             ORDER BY last DESC, p.id
             LIMIT ?3",
        )
        .bind(event)
        .bind(as_of)
        .bind(left)
        .bind(serde_json::to_string(&taken).expect("ids"))
        .bind(as_of - 30 * MICROS_PER_DAY)
        .fetch_all(workspace.pool())
        .await
        .map_err(Error::db("finding people to preview"))?;
        out.extend(rows.iter().map(|row| {
            let title: String = row.get("title");
            SuggestedPerson {
                person: person_from_row(row),
                summary: format!("{said} {title}, not bought"),
            }
        }));
    }
    Ok(out)
}
