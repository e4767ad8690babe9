//! Campaigns: the list, the wizard (options, checks, reach and projections,
//! save), states, attaching imported reports, and the dashboard (KPIs per
//! currency, chart, attribution, over-messaging, exports). Each command
//! unpacks its arguments and calls `rebound-campaigns`; "now" is the session
//! clock's.

use std::path::PathBuf;

use rebound_campaigns::model::DraftProblem;
use rebound_campaigns::{
    self as campaigns, AttributionQuery, AttributionReport, Campaign, CampaignDraft,
    CampaignStatus, ChartKpi, MetricsQuery, MetricsReport, OverMessagingReport, Plan, Table,
    WizardOptions,
};
use rebound_core::charts::ChartTheme;
use rebound_core::session::Session;
use rebound_core::Error;
use tauri::State;

use crate::error::IpcResult;

fn now(session: &Session) -> i64 {
    session.now().timestamp_micros()
}

#[tauri::command]
pub async fn campaigns_list(session: State<'_, Session>) -> IpcResult<Vec<Campaign>> {
    let ws = session.current().await?;
    Ok(campaigns::list_campaigns(&ws, now(&session)).await?)
}

/// Every campaign's figures over all the data, per currency (the Dashboard's table).
#[tauri::command]
pub async fn campaign_summaries(
    session: State<'_, Session>,
) -> IpcResult<Vec<campaigns::CampaignSummary>> {
    Ok(campaigns::summaries(&session.current().await?).await?)
}

#[tauri::command]
pub async fn campaign_get(session: State<'_, Session>, id: i64) -> IpcResult<Campaign> {
    Ok(campaigns::get_campaign(&session.current().await?, id).await?)
}

#[tauri::command]
pub async fn campaign_wizard_options(session: State<'_, Session>) -> IpcResult<WizardOptions> {
    Ok(campaigns::wizard_options(&session.current().await?).await?)
}

#[tauri::command]
pub fn campaign_check(draft: CampaignDraft) -> Vec<DraftProblem> {
    draft.check()
}

#[tauri::command]
pub async fn campaign_plan(session: State<'_, Session>, draft: CampaignDraft) -> IpcResult<Plan> {
    let ws = session.current().await?;
    Ok(campaigns::plan(&ws, &draft, now(&session)).await?)
}

/// Saves a new campaign (`id` null) or replaces a saved one's wizard fields.
#[tauri::command]
pub async fn campaign_save(
    session: State<'_, Session>,
    id: Option<i64>,
    draft: CampaignDraft,
) -> IpcResult<Campaign> {
    let ws = session.current().await?;
    Ok(match id {
        Some(id) => campaigns::update_campaign(&ws, id, &draft, now(&session)).await?,
        None => campaigns::create_campaign(&ws, &draft, now(&session)).await?,
    })
}

#[tauri::command]
pub async fn campaign_set_status(
    session: State<'_, Session>,
    id: i64,
    status: CampaignStatus,
) -> IpcResult<Campaign> {
    let ws = session.current().await?;
    Ok(campaigns::set_status(&ws, id, status, now(&session)).await?)
}

#[tauri::command]
pub async fn campaign_delete(session: State<'_, Session>, id: i64) -> IpcResult<()> {
    Ok(campaigns::delete_campaign(&session.current().await?, id).await?)
}

#[tauri::command]
pub async fn campaign_attach(
    session: State<'_, Session>,
    campaign_id: i64,
    source_id: i64,
) -> IpcResult<Campaign> {
    let ws = session.current().await?;
    Ok(campaigns::attach(&ws, campaign_id, source_id, now(&session)).await?)
}

#[tauri::command]
pub async fn campaign_detach(session: State<'_, Session>, source_id: i64) -> IpcResult<()> {
    let ws = session.current().await?;
    Ok(campaigns::detach(&ws, source_id, now(&session)).await?)
}

#[tauri::command]
pub async fn campaign_metrics(
    session: State<'_, Session>,
    query: MetricsQuery,
) -> IpcResult<MetricsReport> {
    Ok(campaigns::metrics(&session.current().await?, &query).await?)
}

async fn block(
    session: &Session,
    query: &MetricsQuery,
    currency: &str,
) -> IpcResult<rebound_campaigns::metrics::CurrencyBlock> {
    let report = campaigns::metrics(&session.current().await?, query).await?;
    Ok(report
        .blocks
        .into_iter()
        .find(|b| b.currency == currency)
        .ok_or_else(|| Error::InvalidInput(format!("there are no {currency} figures to draw")))?)
}

/// The dashboard chart of one currency block, as SVG.
#[tauri::command]
pub async fn campaign_chart(
    session: State<'_, Session>,
    query: MetricsQuery,
    currency: String,
    kpi: ChartKpi,
    theme: ChartTheme,
) -> IpcResult<String> {
    let b = block(&session, &query, &currency).await?;
    Ok(campaigns::chart_svg(&b, kpi, theme)?)
}

/// Writes the chart to `path`: PNG when it ends in .png, SVG otherwise.
#[tauri::command]
pub async fn campaign_chart_export(
    session: State<'_, Session>,
    query: MetricsQuery,
    currency: String,
    kpi: ChartKpi,
    path: PathBuf,
) -> IpcResult<()> {
    let b = block(&session, &query, &currency).await?;
    Ok(campaigns::export_chart(&b, kpi, &path)?)
}

#[tauri::command]
pub async fn campaign_attribution(
    session: State<'_, Session>,
    query: AttributionQuery,
) -> IpcResult<AttributionReport> {
    Ok(campaigns::attribution(&session.current().await?, &query).await?)
}

/// Over-messaging against the workspace's sending rules, the caps every flow
/// obeys (see `rebound-campaigns::frequency`).
#[tauri::command]
pub async fn campaign_over_messaging(
    session: State<'_, Session>,
    from: String,
    to: String,
) -> IpcResult<OverMessagingReport> {
    let query = campaigns::OverMessagingQuery {
        from,
        to,
        caps: None,
    };
    Ok(campaigns::over_messaging(&session.current().await?, &query).await?)
}

/// Writes a table, as the UI shows it, to a CSV file.
#[tauri::command]
pub fn campaign_table_export(table: Table, path: PathBuf) -> IpcResult<()> {
    Ok(campaigns::write_csv(&table, &path)?)
}
