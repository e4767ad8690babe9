//! Membership over time with its chart, for the segment editor: the daily
//! figures from `engine::membership_over_time`, drawn by `rebound-core`'s
//! plotters charts as SVG (shown through `<img>`, which cannot run scripts).

use chrono::NaiveDate;
use rebound_charts::{membership_svg, ChartTheme, MembershipPoint};
use rebound_core::Workspace;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::engine::{membership_over_time, DailyMembership};
use crate::error::{Error, Result};
use crate::model::SegmentDefinition;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MembershipChart {
    pub days: Vec<DailyMembership>,
    /// Size per day (area) and entries / exits per day (bars), as SVG.
    pub svg: String,
}

pub async fn membership_chart(
    workspace: &Workspace,
    definition: &SegmentDefinition,
    from: NaiveDate,
    to: NaiveDate,
    theme: ChartTheme,
) -> Result<MembershipChart> {
    let days = membership_over_time(workspace, definition, from, to).await?;
    let points: Vec<MembershipPoint> = days
        .iter()
        .map(|d| MembershipPoint {
            day: d.day.parse().unwrap_or(from),
            members: d.members,
            entries: d.entries,
            exits: d.exits,
        })
        .collect();
    let svg =
        membership_svg(&points, theme, (760, 300)).map_err(|e| Error::Chart(e.to_string()))?;
    Ok(MembershipChart { days, svg })
}
