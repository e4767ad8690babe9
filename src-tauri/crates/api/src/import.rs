//! Imports and the reports they brought: inspect a file, import it (with the
//! context's progress and cancel), the history, undo, rejected rows, and the
//! analytics reports as their files had them. Calls `rebound_import`
//! and `rebound_import::reports`.

use std::path::PathBuf;

use rebound_core::Result;
use rebound_import::reports::{self, ReportPage, ReportSummary};
use rebound_import::{
    self as import, ImportInspection, ImportOutcome, ImportRecord, ImportRequest, RejectionPage,
};

use crate::Ctx;

/// What a file is (format, evidence, preview) before importing it.
pub async fn inspect(ctx: &Ctx<'_>, path: PathBuf) -> Result<ImportInspection> {
    import::inspect(&ctx.current().await?, &path).await
}

/// Imports one file whole or not at all.
pub async fn run(ctx: &Ctx<'_>, request: ImportRequest) -> Result<ImportOutcome> {
    let workspace = ctx.current().await?;
    import::run(&workspace, &request, ctx.progress(), ctx.cancel()).await
}

pub async fn list(ctx: &Ctx<'_>) -> Result<Vec<ImportRecord>> {
    import::list(&ctx.current().await?).await
}

pub async fn undo(ctx: &Ctx<'_>, id: i64) -> Result<ImportRecord> {
    import::undo(&ctx.current().await?, id).await
}

pub async fn rejections(ctx: &Ctx<'_>, id: i64, offset: u32, limit: u32) -> Result<RejectionPage> {
    import::rejections(&ctx.current().await?, id, offset, limit).await
}

/// GA4, Search Console, Google Ads Editor and A/B-by-day reports.
pub async fn reports(ctx: &Ctx<'_>) -> Result<Vec<ReportSummary>> {
    reports::list(&ctx.current().await?).await
}

pub async fn report_rows(
    ctx: &Ctx<'_>,
    import_id: i64,
    section: u32,
    offset: i64,
    limit: i64,
) -> Result<ReportPage> {
    reports::rows(&ctx.current().await?, import_id, section, offset, limit).await
}
