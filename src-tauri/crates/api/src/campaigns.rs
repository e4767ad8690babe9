//! Campaigns: the list, the wizard (options, checks, reach and projections,
//! save), states, attaching imported reports, and the figures (KPIs per
//! currency, chart, attribution, over-messaging, CSV tables). Calls
//! `rebound-campaigns`; "now" is the context's clock.

use std::path::PathBuf;

use rebound_campaigns::metrics::CurrencyBlock;
use rebound_campaigns::model::DraftProblem;
use rebound_campaigns::{
    self as campaigns, AttributionQuery, AttributionReport, Campaign, CampaignDraft,
    CampaignStatus, CampaignSummary, ChartKpi, MetricsQuery, MetricsReport, OverMessagingQuery,
    OverMessagingReport, Plan, Table, WizardOptions,
};
use rebound_charts::ChartTheme;
use rebound_core::{Error, Result};

use crate::Ctx;

pub async fn list(ctx: &Ctx<'_>) -> Result<Vec<Campaign>> {
    campaigns::list_campaigns(&ctx.current().await?, ctx.now_micros()).await
}

/// Every campaign's figures over all the data, per currency (the Dashboard's table).
pub async fn summaries(ctx: &Ctx<'_>) -> Result<Vec<CampaignSummary>> {
    campaigns::summaries(&ctx.current().await?).await
}

pub async fn get(ctx: &Ctx<'_>, id: i64) -> Result<Campaign> {
    campaigns::get_campaign(&ctx.current().await?, id).await
}

pub async fn wizard_options(ctx: &Ctx<'_>) -> Result<WizardOptions> {
    campaigns::wizard_options(&ctx.current().await?).await
}

/// What stops a draft from being saved, field by field.
pub async fn check(_ctx: &Ctx<'_>, draft: CampaignDraft) -> Result<Vec<DraftProblem>> {
    Ok(draft.check())
}

/// Reach per channel and projections of a draft.
pub async fn plan(ctx: &Ctx<'_>, draft: CampaignDraft) -> Result<Plan> {
    campaigns::plan(&ctx.current().await?, &draft, ctx.now_micros()).await
}

/// Saves a new campaign (`id` null) or replaces a saved one's wizard fields.
pub async fn save(ctx: &Ctx<'_>, id: Option<i64>, draft: CampaignDraft) -> Result<Campaign> {
    let ws = ctx.current().await?;
    let now = ctx.now_micros();
    Ok(match id {
        Some(id) => campaigns::update_campaign(&ws, id, &draft, now).await?,
        None => campaigns::create_campaign(&ws, &draft, now).await?,
    })
}

pub async fn set_status(ctx: &Ctx<'_>, id: i64, status: CampaignStatus) -> Result<Campaign> {
    campaigns::set_status(&ctx.current().await?, id, status, ctx.now_micros()).await
}

pub async fn delete(ctx: &Ctx<'_>, id: i64) -> Result<()> {
    campaigns::delete_campaign(&ctx.current().await?, id).await
}

/// Attaches an imported report's campaign to a planned one.
pub async fn attach(ctx: &Ctx<'_>, campaign_id: i64, source_id: i64) -> Result<Campaign> {
    let ws = ctx.current().await?;
    campaigns::attach(&ws, campaign_id, source_id, ctx.now_micros()).await
}

pub async fn detach(ctx: &Ctx<'_>, source_id: i64) -> Result<()> {
    campaigns::detach(&ctx.current().await?, source_id, ctx.now_micros()).await
}

pub async fn metrics(ctx: &Ctx<'_>, query: MetricsQuery) -> Result<MetricsReport> {
    campaigns::metrics(&ctx.current().await?, &query).await
}

/// One currency's block of the metrics, the one a chart draws.
async fn block(ctx: &Ctx<'_>, query: &MetricsQuery, currency: &str) -> Result<CurrencyBlock> {
    let report = campaigns::metrics(&ctx.current().await?, query).await?;
    report
        .blocks
        .into_iter()
        .find(|b| b.currency == currency)
        .ok_or_else(|| Error::InvalidInput(format!("there are no {currency} figures to draw")))
}

/// The chart of one currency block, as SVG.
pub async fn chart(
    ctx: &Ctx<'_>,
    query: MetricsQuery,
    currency: String,
    kpi: ChartKpi,
    theme: ChartTheme,
) -> Result<String> {
    let b = block(ctx, &query, &currency).await?;
    campaigns::chart_svg(&b, kpi, theme)
}

/// Writes the chart to `path`: PNG when it ends in .png, SVG otherwise.
pub async fn chart_export(
    ctx: &Ctx<'_>,
    query: MetricsQuery,
    currency: String,
    kpi: ChartKpi,
    path: PathBuf,
) -> Result<()> {
    let b = block(ctx, &query, &currency).await?;
    campaigns::export_chart(&b, kpi, &path)
}

pub async fn attribution(ctx: &Ctx<'_>, query: AttributionQuery) -> Result<AttributionReport> {
    campaigns::attribution(&ctx.current().await?, &query).await
}

/// People messaged more often than the query's caps allow; without caps,
/// the workspace's sending rules, the caps every flow obeys (see
/// `rebound-campaigns::frequency`).
pub async fn over_messaging(
    ctx: &Ctx<'_>,
    query: OverMessagingQuery,
) -> Result<OverMessagingReport> {
    campaigns::over_messaging(&ctx.current().await?, &query).await
}

/// Writes a table, as the UI shows it, to a CSV file.
pub async fn table_export(_ctx: &Ctx<'_>, table: Table, path: PathBuf) -> Result<()> {
    campaigns::write_csv(&table, &path)
}
