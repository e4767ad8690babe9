//! Rebound's campaigns: the wizard's model, reach and projections, imported
//! reports attached to campaigns, KPIs per currency with period over period,
//! attribution from the event log, over-messaging and ad frequency, the
//! dashboard's chart and CSV export. No Tauri here.
//!
//! - `model`: goals, channels, states, budgets, the draft and its checks.
//! - `store`: saving, editing, states, attaching reports (auto and by hand).
//! - `plan`: audience reach after consent, history, projections.
//! - `metrics`: the one KPI query layer (definitions in its header).
//! - `attribution`: last touch, first touch, linear, position-based.
//! - `frequency`: people over the message caps, ad frequency.
//! - `chart`, `table`: SVG/PNG charts and CSV export.
//!
//! Errors are `rebound_core::Error`: the adapters already carry its codes.

pub mod attribution;
#[cfg(test)]
mod bindings;
pub mod chart;
pub mod frequency;
pub mod metrics;
pub mod model;
pub mod plan;
pub mod store;
pub mod table;

pub use attribution::{attribution, AttributionQuery, AttributionReport};
pub use chart::{chart_svg, export_chart, ChartKpi};
pub use frequency::{over_messaging, OverMessagingQuery, OverMessagingReport};
pub use metrics::{
    metrics, summaries, CampaignSummary, Grouping, Kpis, MetricsQuery, MetricsReport,
};
pub use model::{Budget, BudgetKind, CampaignDraft, CampaignStatus, ChannelKey, Goal, WizardStep};
pub use plan::{audience_reach, history, plan, project, AudienceReach, Plan, Projection};
pub use store::{
    attach, auto_attach, create_campaign, delete_campaign, detach, find_campaign, get_campaign,
    list_campaigns, set_status, update_campaign, wizard_options, Campaign, WizardOptions,
};
pub use table::{to_csv, write_csv, Table};
