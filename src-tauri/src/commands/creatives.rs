//! Creatives: templates, formats, logos and tokens for the editor, people to
//! preview, one person's preview, a segment sample's grid, PNG/SVG export and
//! the images folder. Each command unpacks its arguments and calls
//! `rebound-creatives`. Previews are "as of" the end of the data they read:
//! the last day of product events for people, the segment's own moment
//! (as Segments counts it) for a sample's grid. Rendering and rasterising run
//! on tokio's blocking pool, off the UI thread.

use std::path::PathBuf;

use rebound_core::session::Session;
use rebound_creatives::{
    self as creatives, AdFormat, FormatSpec, LogoChoice, Preview, PreviewGrid, SavedTemplate,
    SuggestedPerson, TemplateDefinition, TokenHelp,
};
use rebound_segments::SegmentDefinition;
use tauri::State;

use crate::error::IpcResult;

fn now(session: &Session) -> i64 {
    session.now().timestamp_micros()
}

/// The moment a person's preview is for: the end of the product events.
async fn preview_moment(session: &Session, ws: &rebound_core::Workspace) -> IpcResult<i64> {
    Ok(creatives::preview_moment(ws, now(session)).await?)
}

#[tauri::command]
pub fn creative_formats() -> Vec<FormatSpec> {
    creatives::formats()
}

#[tauri::command]
pub fn creative_logos() -> Vec<LogoChoice> {
    creatives::logos()
}

#[tauri::command]
pub fn creative_tokens() -> Vec<TokenHelp> {
    creatives::token_help()
}

#[tauri::command]
pub async fn creative_templates(session: State<'_, Session>) -> IpcResult<Vec<SavedTemplate>> {
    let ws = session.current().await?;
    Ok(creatives::list_templates(&ws, now(&session)).await?)
}

/// Saves a new template (`id` null) or replaces a saved one.
#[tauri::command]
pub async fn creative_template_save(
    session: State<'_, Session>,
    id: Option<i64>,
    definition: TemplateDefinition,
) -> IpcResult<SavedTemplate> {
    let ws = session.current().await?;
    Ok(creatives::save_template(&ws, id, &definition, now(&session)).await?)
}

#[tauri::command]
pub async fn creative_template_delete(session: State<'_, Session>, id: i64) -> IpcResult<()> {
    Ok(creatives::delete_template(&session.current().await?, id).await?)
}

#[tauri::command]
pub async fn creative_people(
    session: State<'_, Session>,
    limit: u32,
) -> IpcResult<Vec<SuggestedPerson>> {
    let ws = session.current().await?;
    let at = creatives::suggestion_moment(&ws, now(&session)).await?;
    Ok(creatives::suggested_people(&ws, at, limit).await?)
}

#[tauri::command]
pub async fn creative_preview(
    session: State<'_, Session>,
    definition: TemplateDefinition,
    format: AdFormat,
    person_id: i64,
) -> IpcResult<Preview> {
    let ws = session.current().await?;
    let folder = creatives::images_folder(&ws).await?;
    let at = preview_moment(&session, &ws).await?;
    Ok(creatives::preview(&ws, &definition, format, person_id, at, folder.as_deref()).await?)
}

#[tauri::command]
pub async fn creative_grid(
    session: State<'_, Session>,
    definition: TemplateDefinition,
    format: AdFormat,
    segment: SegmentDefinition,
    size: u32,
    seed: u64,
) -> IpcResult<PreviewGrid> {
    let ws = session.current().await?;
    let folder = creatives::images_folder(&ws).await?;
    let at = rebound_segments::resolve_as_of(&ws, &segment, None, now(&session)).await?;
    Ok(creatives::preview_grid(
        &ws,
        &definition,
        format,
        &segment,
        at,
        size,
        seed,
        folder.as_deref(),
    )
    .await?)
}

/// Renders one person's ad and writes it as PNG or SVG (by `kind`); returns
/// the bytes written.
#[tauri::command]
pub async fn creative_export(
    session: State<'_, Session>,
    definition: TemplateDefinition,
    format: AdFormat,
    person_id: i64,
    path: PathBuf,
    kind: String,
) -> IpcResult<usize> {
    let ws = session.current().await?;
    let folder = creatives::images_folder(&ws).await?;
    let at = preview_moment(&session, &ws).await?;
    let preview =
        creatives::preview(&ws, &definition, format, person_id, at, folder.as_deref()).await?;
    let svg = preview.ad.svg;
    let bytes = tokio::task::spawn_blocking(move || -> creatives::Result<Vec<u8>> {
        let bytes = if kind == "svg" {
            svg.into_bytes()
        } else {
            creatives::svg_to_png(&svg)?
        };
        std::fs::write(&path, &bytes).map_err(|source| creatives::Error::Io {
            op: "write",
            path: path.clone(),
            source,
        })?;
        Ok(bytes)
    })
    .await
    .map_err(|e| creatives::Error::Render(e.to_string()))??;
    Ok(bytes.len())
}

#[tauri::command]
pub async fn creative_images_folder(session: State<'_, Session>) -> IpcResult<Option<PathBuf>> {
    Ok(creatives::images_folder(&session.current().await?).await?)
}

#[tauri::command]
pub async fn creative_set_images_folder(
    session: State<'_, Session>,
    folder: Option<PathBuf>,
) -> IpcResult<()> {
    Ok(creatives::set_images_folder(&session.current().await?, folder.as_deref()).await?)
}
