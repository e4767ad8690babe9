//! Creatives: templates, formats, logos and tokens for the editor, people to
//! preview, one person's preview, a segment sample's grid, PNG/SVG export and
//! the images folder. Calls `rebound-creatives`. Previews are "as of" the end
//! of the data they read: the last day of product events for a person, the
//! segment's own moment (as Segments counts it) for a sample's grid.
//! Rasterising runs on tokio's blocking pool, off the caller's thread.

use std::path::PathBuf;

use chrono::NaiveDate;
use rebound_core::{Error, Result, Workspace};
use rebound_creatives::{
    self as creatives, AdFormat, CreativeFile, FormatSpec, ImageKind, LogoChoice, Preview,
    PreviewGrid, SavedTemplate, SuggestedPerson, TemplateDefinition, TokenHelp,
};
use rebound_segments::SegmentDefinition;

use crate::Ctx;

/// The moment a person's preview is for: the end of `day`, else the end of
/// the product events.
async fn preview_moment(ctx: &Ctx<'_>, ws: &Workspace, day: Option<NaiveDate>) -> Result<i64> {
    Ok(match day {
        Some(day) => rebound_core::time::end_of_day(day),
        None => creatives::preview_moment(ws, ctx.now_micros()).await?,
    })
}

/// The images folder to read: the one given, else the workspace's.
async fn folder(ws: &Workspace, images: Option<PathBuf>) -> Result<Option<PathBuf>> {
    Ok(match images {
        Some(dir) => Some(dir),
        None => creatives::images_folder(ws).await?,
    })
}

pub async fn formats(_ctx: &Ctx<'_>) -> Result<Vec<FormatSpec>> {
    Ok(creatives::formats())
}

pub async fn logos(_ctx: &Ctx<'_>) -> Result<Vec<LogoChoice>> {
    Ok(creatives::logos())
}

pub async fn tokens(_ctx: &Ctx<'_>) -> Result<Vec<TokenHelp>> {
    Ok(creatives::token_help())
}

/// The workspace's templates (the starters are added the first time).
pub async fn templates(ctx: &Ctx<'_>) -> Result<Vec<SavedTemplate>> {
    Ok(creatives::list_templates(&ctx.current().await?, ctx.now_micros()).await?)
}

/// Saves a new template (`id` null) or replaces a saved one.
pub async fn template_save(
    ctx: &Ctx<'_>,
    id: Option<i64>,
    definition: TemplateDefinition,
) -> Result<SavedTemplate> {
    let ws = ctx.current().await?;
    Ok(creatives::save_template(&ws, id, &definition, ctx.now_micros()).await?)
}

pub async fn template_delete(ctx: &Ctx<'_>, id: i64) -> Result<()> {
    Ok(creatives::delete_template(&ctx.current().await?, id).await?)
}

/// People worth previewing as of the end of `as_of_day` (by default the
/// last day of product views and cart additions).
pub async fn people(
    ctx: &Ctx<'_>,
    limit: u32,
    as_of_day: Option<NaiveDate>,
) -> Result<Vec<SuggestedPerson>> {
    let ws = ctx.current().await?;
    let at = match as_of_day {
        Some(day) => rebound_core::time::end_of_day(day),
        None => creatives::suggestion_moment(&ws, ctx.now_micros()).await?,
    };
    Ok(creatives::suggested_people(&ws, at, limit).await?)
}

/// One person's ad, the products picked for them and the linter's findings.
pub async fn preview(
    ctx: &Ctx<'_>,
    definition: TemplateDefinition,
    format: AdFormat,
    person_id: i64,
) -> Result<Preview> {
    let ws = ctx.current().await?;
    let images = folder(&ws, None).await?;
    let at = preview_moment(ctx, &ws, None).await?;
    Ok(creatives::preview(&ws, &definition, format, person_id, at, images.as_deref()).await?)
}

/// A segment sample's ads, as of the segment's own moment.
pub async fn grid(
    ctx: &Ctx<'_>,
    definition: TemplateDefinition,
    format: AdFormat,
    segment: SegmentDefinition,
    size: u32,
    seed: u64,
) -> Result<PreviewGrid> {
    let ws = ctx.current().await?;
    let images = folder(&ws, None).await?;
    let at = rebound_segments::resolve_as_of(&ws, &segment, None, ctx.now_micros()).await?;
    Ok(creatives::preview_grid(
        &ws,
        &definition,
        format,
        &segment,
        at,
        size,
        seed,
        images.as_deref(),
    )
    .await?)
}

/// Renders one person's ad and writes it to `path` as `kind` (by default
/// from the path's extension), reading product images from `images` (by
/// default the workspace's folder), as of the end of `as_of_day` (by default
/// the end of the product events).
// One parameter per IPC argument, as the operation table names them.
#[allow(clippy::too_many_arguments)]
pub async fn export(
    ctx: &Ctx<'_>,
    definition: TemplateDefinition,
    format: AdFormat,
    person_id: i64,
    path: PathBuf,
    kind: Option<ImageKind>,
    images: Option<PathBuf>,
    as_of_day: Option<NaiveDate>,
) -> Result<CreativeFile> {
    let ws = ctx.current().await?;
    let images = folder(&ws, images).await?;
    let at = preview_moment(ctx, &ws, as_of_day).await?;
    let preview =
        creatives::preview(&ws, &definition, format, person_id, at, images.as_deref()).await?;
    let kind = kind.unwrap_or_else(|| ImageKind::for_path(&path));
    let svg = preview.ad.svg.clone();
    let bytes = tokio::task::spawn_blocking(move || kind.encode(&svg))
        .await
        .map_err(|e| creatives::Error::Render(e.to_string()))??;
    std::fs::write(&path, &bytes).map_err(Error::io("write", &path))?;
    Ok(CreativeFile {
        path: path.display().to_string(),
        kind,
        bytes: bytes.len() as u64,
        preview,
    })
}

pub async fn images_folder(ctx: &Ctx<'_>) -> Result<Option<PathBuf>> {
    Ok(creatives::images_folder(&ctx.current().await?).await?)
}

pub async fn set_images_folder(ctx: &Ctx<'_>, folder: Option<PathBuf>) -> Result<()> {
    Ok(creatives::set_images_folder(&ctx.current().await?, folder.as_deref()).await?)
}
