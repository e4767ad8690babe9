//! The dry run against a workspace: reads the sending rules, the other
//! active flows, the history the flows need and the segment entries of
//! segment triggers, then runs the engine (see `engine.rs`).

use std::collections::HashSet;

use rebound_core::{CancelToken, Progress, Workspace};
use rebound_segments::{self as segments, SegmentDefinition};

use crate::engine::{self, DryRun, DryRunOptions, Period, LOOKBACK_DAYS};
use crate::error::{Error, Result};
use crate::history::History;
use crate::model::{Flow, Trigger};
use crate::store::{get_rules, list_flows, FlowStatus};
use rebound_core::time::MICROS_PER_DAY;

/// A saved segment by name, else a built-in segment template by key.
pub async fn resolve_segment(workspace: &Workspace, name: &str) -> Result<SegmentDefinition> {
    if let Ok(saved) = segments::get_segment_by_name(workspace, name).await {
        return Ok(saved.definition);
    }
    segments::templates()
        .into_iter()
        .find(|t| t.key == name || t.definition.name == name)
        .map(|t| t.definition)
        .ok_or_else(|| Error::Segment {
            segment: name.to_string(),
            reason: "there is no saved segment or segment template with that name".into(),
        })
}

/// Who joined `segment` at each daily 00:00 UTC check within `period`.
pub async fn segment_entries(
    workspace: &Workspace,
    segment: &str,
    period: Period,
    cancel: &CancelToken,
) -> Result<Vec<(i64, i64)>> {
    let definition = resolve_segment(workspace, segment).await?;
    let seg_err = |e: segments::Error| Error::Segment {
        segment: segment.to_string(),
        reason: e.to_string(),
    };
    let mut before: HashSet<i64> =
        segments::member_ids(workspace, &definition, period.start - MICROS_PER_DAY)
            .await
            .map_err(seg_err)?
            .into_iter()
            .collect();
    let mut entries = Vec::new();
    let mut check = period.start;
    while check < period.end {
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        let now: HashSet<i64> = segments::member_ids(workspace, &definition, check)
            .await
            .map_err(seg_err)?
            .into_iter()
            .collect();
        let mut joined: Vec<i64> = now.difference(&before).copied().collect();
        joined.sort_unstable();
        entries.extend(joined.into_iter().map(|p| (p, check)));
        before = now;
        check += MICROS_PER_DAY;
    }
    Ok(entries)
}

/// Runs a dry run of `flow` over the workspace's history.
pub async fn dry_run(
    workspace: &Workspace,
    flow: &Flow,
    options: &DryRunOptions,
    on_progress: &(dyn Fn(&Progress) + Send + Sync),
    cancel: &CancelToken,
) -> Result<DryRun> {
    flow.validate()?;
    let period = Period::parse(&options.from, &options.to)?;
    let rules = get_rules(workspace).await?;
    let others: Vec<Flow> = list_flows(workspace)
        .await?
        .into_iter()
        .filter(|s| s.status == FlowStatus::Active && s.flow.name != flow.name)
        .map(|s| s.flow)
        .collect();
    let mut all: Vec<&Flow> = vec![flow];
    all.extend(others.iter());
    let names = engine::needed_events(&all);
    let longest_goal = all
        .iter()
        .map(|f| i64::from(engine::goal_of(f).within_days))
        .max()
        .unwrap_or(7);
    on_progress(&Progress {
        stage: "Reading the workspace's history".into(),
        done: 0,
        total: None,
        unit: "people".into(),
        elapsed_ms: 0,
        bytes_done: None,
        bytes_total: None,
    });
    let mut history: History = crate::history::load_history(
        workspace,
        &names,
        period.start - LOOKBACK_DAYS * MICROS_PER_DAY,
        period.end + longest_goal * MICROS_PER_DAY,
    )
    .await?;
    for f in &all {
        if let Trigger::SegmentEntry { segment } = &f.trigger {
            if !history.segment_entries.contains_key(segment) {
                let entries = segment_entries(workspace, segment, period, cancel).await?;
                history.segment_entries.insert(segment.clone(), entries);
            }
        }
    }
    engine::simulate(
        &history,
        flow,
        &others,
        &rules,
        options,
        on_progress,
        cancel,
    )
}

/// Today's date as the default end of a dry run's period, from an instant.
pub fn default_period(now_micros: i64, days: i64) -> (String, String) {
    let today = chrono::DateTime::from_timestamp_micros(now_micros)
        .expect("instant in range")
        .date_naive();
    let from = today - chrono::Duration::days(days - 1);
    (from.to_string(), today.to_string())
}
