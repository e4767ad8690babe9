//! Campaigns in the workspace: the wizard's saves and edits, state changes,
//! and imported report campaigns attached to them (automatically by name or
//! platform id, or by hand). A report campaign counts towards one campaign
//! at most; [`OWNER_SQL`] is the one place that says which.

use rebound_core::{Error, Result, Workspace};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use ts_rs::TS;

use crate::model::{Budget, BudgetKind, CampaignDraft, CampaignStatus, ChannelKey, Goal};

/// The campaign a `campaigns` row (aliased `c`) counts towards: the campaign
/// it is attached to, or itself.
pub(crate) const OWNER_SQL: &str = "coalesce((SELECT a.campaign_id FROM campaign_attachments a
     WHERE a.source_campaign_id = c.id AND a.mode <> 'excluded'), c.id)";

/// How an imported report campaign came to count towards another campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AttachMode {
    Auto,
    Manual,
}

/// An imported report campaign counting towards a campaign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct AttachedReport {
    #[ts(type = "number")]
    pub source_campaign_id: i64,
    pub name: String,
    pub platform: String,
    pub external_id: Option<String>,
    pub mode: AttachMode,
    /// The file it was imported from.
    pub file_name: Option<String>,
}

/// Where a campaign came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CampaignOrigin {
    /// Built in the wizard.
    Wizard,
    /// Created by an import (an ad report's campaign, or the demo).
    Imported,
}

/// A campaign as the list and the dashboard show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Campaign {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    /// What it is for: chosen in the wizard (or given by the demo); `None`
    /// for a campaign an ad report brought in, whose report does not say.
    pub goal: Option<Goal>,
    /// The platform's own type (Search, Performance Max; Meta's objective).
    pub campaign_type: Option<String>,
    pub status: CampaignStatus,
    pub channels: Vec<ChannelKey>,
    pub platform: String,
    #[ts(type = "number | null")]
    pub segment_id: Option<i64>,
    pub segment_name: Option<String>,
    #[ts(type = "Array<number>")]
    pub creative_ids: Vec<i64>,
    #[ts(type = "number | null")]
    pub sequence_id: Option<i64>,
    pub messages_per_person: u32,
    pub budget: Option<Budget>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub platform_campaign_id: Option<String>,
    pub origin: CampaignOrigin,
    pub import_file: Option<String>,
    pub attached: Vec<AttachedReport>,
    /// Set when this campaign is an imported report campaign attached to another.
    #[ts(type = "number | null")]
    pub attached_to: Option<i64>,
    #[ts(type = "number")]
    pub created_at: i64,
}

impl Campaign {
    /// The wizard's draft for editing this campaign.
    pub fn draft(&self) -> CampaignDraft {
        CampaignDraft {
            name: self.name.clone(),
            goal: self.goal.unwrap_or(Goal::Retargeting),
            segment_id: self.segment_id,
            channels: self.channels.clone(),
            creative_ids: self.creative_ids.clone(),
            sequence_id: self.sequence_id,
            messages_per_person: self.messages_per_person,
            budget: self.budget.clone(),
            starts_on: self.starts_on.clone(),
            ends_on: self.ends_on.clone(),
            status: self.status,
            platform_campaign_id: self.platform_campaign_id.clone(),
        }
    }
}

fn db(op: &'static str) -> impl FnOnce(sqlx::Error) -> Error {
    move |source| Error::Database { op, source }
}

const SELECT: &str = "SELECT c.id, c.name, c.goal, c.status, c.channel, c.channels, c.platform,
        c.segment_id, s.name AS segment_name, c.creative_ids, c.sequence_id,
        c.messages_per_person, c.daily_budget_minor, c.total_budget_minor, c.currency,
        c.starts_on, c.ends_on, c.external_id, c.created_in_wizard, i.file_name,
        c.campaign_type, c.goal_stated,
        (SELECT a.campaign_id FROM campaign_attachments a
          WHERE a.source_campaign_id = c.id AND a.mode <> 'excluded') AS attached_to,
        c.created_at
     FROM campaigns c
     LEFT JOIN segments s ON s.id = c.segment_id
     LEFT JOIN imports i ON i.id = c.import_id";

fn from_row(row: &sqlx::sqlite::SqliteRow) -> Campaign {
    let channel: String = row.get("channel");
    let channels: Vec<ChannelKey> = row
        .get::<Option<String>, _>("channels")
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_else(|| ChannelKey::parse(&channel).into_iter().collect());
    let currency: Option<String> = row.get("currency");
    let daily: Option<i64> = row.get("daily_budget_minor");
    let total: Option<i64> = row.get("total_budget_minor");
    let budget = match (total, daily, currency) {
        (Some(t), _, Some(c)) => Some(Budget {
            kind: BudgetKind::Total,
            amount_minor: t,
            currency: c,
        }),
        (None, Some(d), Some(c)) => Some(Budget {
            kind: BudgetKind::Daily,
            amount_minor: d,
            currency: c,
        }),
        _ => None,
    };
    let wizard: i64 = row.get("created_in_wizard");
    Campaign {
        id: row.get("id"),
        name: row.get("name"),
        goal: (row.get::<i64, _>("goal_stated") == 1)
            .then(|| Goal::parse(row.get("goal")))
            .flatten(),
        campaign_type: row.get("campaign_type"),
        status: CampaignStatus::parse(row.get("status")).unwrap_or(CampaignStatus::Draft),
        channels,
        platform: row.get("platform"),
        segment_id: row.get("segment_id"),
        segment_name: row.get("segment_name"),
        creative_ids: row
            .get::<Option<String>, _>("creative_ids")
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default(),
        sequence_id: row.get("sequence_id"),
        messages_per_person: row
            .get::<Option<i64>, _>("messages_per_person")
            .unwrap_or(1)
            .clamp(0, u32::MAX as i64) as u32,
        budget,
        starts_on: row.get("starts_on"),
        ends_on: row.get("ends_on"),
        platform_campaign_id: row.get("external_id"),
        origin: if wizard == 1 {
            CampaignOrigin::Wizard
        } else {
            CampaignOrigin::Imported
        },
        import_file: row.get("file_name"),
        attached: Vec::new(),
        attached_to: row.get("attached_to"),
        created_at: row.get("created_at"),
    }
}

async fn attachments(workspace: &Workspace) -> Result<Vec<(i64, AttachedReport)>> {
    let rows = sqlx::query(
        "SELECT a.campaign_id, a.mode, c.id, c.name, c.platform, c.external_id, i.file_name
         FROM campaign_attachments a
         JOIN campaigns c ON c.id = a.source_campaign_id
         LEFT JOIN imports i ON i.id = c.import_id
         WHERE a.mode <> 'excluded'
         ORDER BY a.campaign_id, c.name",
    )
    .fetch_all(workspace.pool())
    .await
    .map_err(db("reading attached reports"))?;
    Ok(rows
        .iter()
        .map(|r| {
            let mode: String = r.get(1);
            (
                r.get(0),
                AttachedReport {
                    source_campaign_id: r.get(2),
                    name: r.get(3),
                    platform: r.get(4),
                    external_id: r.get(5),
                    mode: if mode == "manual" {
                        AttachMode::Manual
                    } else {
                        AttachMode::Auto
                    },
                    file_name: r.get(6),
                },
            )
        })
        .collect())
}

/// Every campaign, newest first, with what is attached to each. Runs the
/// automatic attachment first, so a report imported since is already in.
pub async fn list_campaigns(workspace: &Workspace, now: i64) -> Result<Vec<Campaign>> {
    auto_attach(workspace, now).await?;
    let rows = sqlx::query(&format!("{SELECT} ORDER BY c.created_at DESC, c.id DESC"))
        .fetch_all(workspace.pool())
        .await
        .map_err(db("listing campaigns"))?;
    let mut out: Vec<Campaign> = rows.iter().map(from_row).collect();
    for (owner, report) in attachments(workspace).await? {
        if let Some(c) = out.iter_mut().find(|c| c.id == owner) {
            c.attached.push(report);
        }
    }
    Ok(out)
}

pub async fn get_campaign(workspace: &Workspace, id: i64) -> Result<Campaign> {
    let row = sqlx::query(&format!("{SELECT} WHERE c.id = ?1"))
        .bind(id)
        .fetch_optional(workspace.pool())
        .await
        .map_err(db("reading a campaign"))?
        .ok_or_else(|| Error::NotFound(format!("no campaign with id {id}")))?;
    let mut c = from_row(&row);
    c.attached = attachments(workspace)
        .await?
        .into_iter()
        .filter(|(owner, _)| *owner == id)
        .map(|(_, r)| r)
        .collect();
    Ok(c)
}

/// A campaign named by id (digits) or by exact name (case-insensitive).
pub async fn find_campaign(workspace: &Workspace, which: &str) -> Result<Campaign> {
    if let Ok(id) = which.trim().parse::<i64>() {
        return get_campaign(workspace, id).await;
    }
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM campaigns WHERE lower(name) = lower(?1) ORDER BY id")
            .bind(which.trim())
            .fetch_all(workspace.pool())
            .await
            .map_err(db("finding a campaign"))?;
    match ids.as_slice() {
        [] => Err(Error::NotFound(format!("no campaign named '{which}'"))),
        [id] => get_campaign(workspace, *id).await,
        _ => Err(Error::InvalidInput(format!(
            "{} campaigns are named '{which}'; name it by id ({})",
            ids.len(),
            ids.iter()
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

fn invalid(draft: &CampaignDraft) -> Result<()> {
    let problems = draft.check();
    if problems.is_empty() {
        return Ok(());
    }
    Err(Error::InvalidInput(format!(
        "cannot save campaign '{}': {}",
        draft.name.trim(),
        problems
            .iter()
            .map(|p| p.message.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    )))
}

async fn check_references(workspace: &Workspace, draft: &CampaignDraft) -> Result<()> {
    let exists = |table: &'static str, id: i64| async move {
        sqlx::query_scalar::<_, i64>(&format!("SELECT count(*) FROM {table} WHERE id = ?1"))
            .bind(id)
            .fetch_one(workspace.pool())
            .await
            .map(|n| n > 0)
            .map_err(db("checking a campaign's references"))
    };
    if let Some(id) = draft.segment_id {
        if !exists("segments", id).await? {
            return Err(Error::NotFound(format!("no segment with id {id}")));
        }
    }
    if let Some(id) = draft.sequence_id {
        if !exists("sequences", id).await? {
            return Err(Error::NotFound(format!("no sequence with id {id}")));
        }
    }
    for id in &draft.creative_ids {
        if !exists("creatives", *id).await? {
            return Err(Error::NotFound(format!("no creative with id {id}")));
        }
    }
    Ok(())
}

fn budget_columns(draft: &CampaignDraft) -> (Option<i64>, Option<i64>, Option<String>) {
    match &draft.budget {
        Some(b) => match b.kind {
            BudgetKind::Daily => (Some(b.amount_minor), None, Some(b.currency.clone())),
            BudgetKind::Total => (None, Some(b.amount_minor), Some(b.currency.clone())),
        },
        None => (None, None, None),
    }
}

/// Saves the wizard's draft as a new campaign; `now` is UTC micros.
pub async fn create_campaign(
    workspace: &Workspace,
    draft: &CampaignDraft,
    now: i64,
) -> Result<Campaign> {
    invalid(draft)?;
    check_references(workspace, draft).await?;
    let (daily, total, currency) = budget_columns(draft);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO campaigns (name, external_id, platform, goal, channel, status, segment_id,
             sequence_id, daily_budget_minor, currency, starts_on, ends_on, created_at,
             channels, creative_ids, total_budget_minor, messages_per_person, created_in_wizard,
             updated_at, creative_id)
         VALUES (?1, ?2, 'rebound', ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
             1, ?12, ?17)
         RETURNING id",
    )
    .bind(draft.name.trim())
    .bind(draft.platform_campaign_id.as_deref().map(str::trim))
    .bind(draft.goal.as_str())
    .bind(draft.channel_column())
    .bind(draft.status.as_str())
    .bind(draft.segment_id)
    .bind(draft.sequence_id)
    .bind(daily)
    .bind(currency)
    .bind(&draft.starts_on)
    .bind(&draft.ends_on)
    .bind(now)
    .bind(serde_json::to_string(&draft.channels).expect("channels serialise"))
    .bind(serde_json::to_string(&draft.creative_ids).expect("ids serialise"))
    .bind(total)
    .bind(i64::from(draft.messages_per_person))
    .bind(draft.creative_ids.first())
    .fetch_one(workspace.pool())
    .await
    .map_err(db("saving a campaign"))?;
    auto_attach(workspace, now).await?;
    get_campaign(workspace, id).await
}

/// Replaces a campaign's wizard fields (any campaign, also imported ones: a
/// marketer may fill in the goal, audience and budget of a report campaign).
pub async fn update_campaign(
    workspace: &Workspace,
    id: i64,
    draft: &CampaignDraft,
    now: i64,
) -> Result<Campaign> {
    invalid(draft)?;
    check_references(workspace, draft).await?;
    get_campaign(workspace, id).await?;
    let (daily, total, currency) = budget_columns(draft);
    sqlx::query(
        "UPDATE campaigns SET name = ?2, external_id = ?3, goal = ?4, channel = ?5, status = ?6,
             segment_id = ?7, sequence_id = ?8, daily_budget_minor = ?9, currency = ?10,
             starts_on = ?11, ends_on = ?12, channels = ?13, creative_ids = ?14,
             total_budget_minor = ?15, messages_per_person = ?16, updated_at = ?17,
             creative_id = ?18
         WHERE id = ?1",
    )
    .bind(id)
    .bind(draft.name.trim())
    .bind(draft.platform_campaign_id.as_deref().map(str::trim))
    .bind(draft.goal.as_str())
    .bind(draft.channel_column())
    .bind(draft.status.as_str())
    .bind(draft.segment_id)
    .bind(draft.sequence_id)
    .bind(daily)
    .bind(currency)
    .bind(&draft.starts_on)
    .bind(&draft.ends_on)
    .bind(serde_json::to_string(&draft.channels).expect("channels serialise"))
    .bind(serde_json::to_string(&draft.creative_ids).expect("ids serialise"))
    .bind(total)
    .bind(i64::from(draft.messages_per_person))
    .bind(now)
    .bind(draft.creative_ids.first())
    .execute(workspace.pool())
    .await
    .map_err(db("updating a campaign"))?;
    auto_attach(workspace, now).await?;
    get_campaign(workspace, id).await
}

/// Moves a campaign to another state. Completed campaigns stay completed
/// unless set back to paused or active explicitly; any move is allowed.
pub async fn set_status(
    workspace: &Workspace,
    id: i64,
    status: CampaignStatus,
    now: i64,
) -> Result<Campaign> {
    let campaign = get_campaign(workspace, id).await?;
    if status != CampaignStatus::Draft {
        let mut d = campaign.draft();
        d.status = status;
        if let Some(p) = d.check().first() {
            return Err(Error::InvalidInput(format!(
                "cannot make campaign '{}' {}: {}",
                campaign.name,
                status.as_str(),
                p.message
            )));
        }
    }
    sqlx::query("UPDATE campaigns SET status = ?2, updated_at = ?3 WHERE id = ?1")
        .bind(id)
        .bind(status.as_str())
        .bind(now)
        .execute(workspace.pool())
        .await
        .map_err(db("changing a campaign's state"))?;
    get_campaign(workspace, id).await
}

/// Deletes a campaign built in the wizard. Imported campaigns belong to their
/// import (undo the import instead).
pub async fn delete_campaign(workspace: &Workspace, id: i64) -> Result<()> {
    let c = get_campaign(workspace, id).await?;
    if c.origin != CampaignOrigin::Wizard {
        return Err(Error::InvalidInput(format!(
            "campaign '{}' came from an import; undo the import to remove it",
            c.name
        )));
    }
    sqlx::query("DELETE FROM campaigns WHERE id = ?1")
        .bind(id)
        .execute(workspace.pool())
        .await
        .map_err(db("deleting a campaign"))?;
    Ok(())
}

/// Attaches imported report campaigns to wizard campaigns with the same name
/// (trimmed, ASCII case ignored) or the same platform id. Report campaigns
/// already attached, or detached by hand, are left alone. Returns how many
/// were attached.
pub async fn auto_attach(workspace: &Workspace, now: i64) -> Result<u64> {
    let target = "(SELECT t.id FROM campaigns t
          WHERE t.created_in_wizard = 1 AND t.id <> s.id
            AND (lower(trim(t.name)) = lower(trim(s.name))
                 OR (t.external_id IS NOT NULL AND t.external_id <> ''
                     AND t.external_id = s.external_id))
          ORDER BY t.id LIMIT 1)";
    let done = sqlx::query(&format!(
        "INSERT INTO campaign_attachments (campaign_id, source_campaign_id, mode, attached_at)
         SELECT {target}, s.id, 'auto', ?1 FROM campaigns s
         WHERE s.import_id IS NOT NULL AND s.created_in_wizard = 0
           AND NOT EXISTS (SELECT 1 FROM campaign_attachments a WHERE a.source_campaign_id = s.id)
           AND NOT EXISTS (SELECT 1 FROM campaign_attachments a WHERE a.campaign_id = s.id
                           AND a.mode <> 'excluded')
           AND {target} IS NOT NULL"
    ))
    .bind(now)
    .execute(workspace.pool())
    .await
    .map_err(db("attaching imported reports"))?;
    Ok(done.rows_affected())
}

/// Attaches an imported report campaign to a campaign by hand.
pub async fn attach(
    workspace: &Workspace,
    campaign_id: i64,
    source_id: i64,
    now: i64,
) -> Result<Campaign> {
    let target = get_campaign(workspace, campaign_id).await?;
    let source = get_campaign(workspace, source_id).await?;
    if campaign_id == source_id {
        return Err(Error::InvalidInput(
            "a campaign cannot be attached to itself".into(),
        ));
    }
    if source.origin != CampaignOrigin::Imported {
        return Err(Error::InvalidInput(format!(
            "'{}' was built here, not imported; only imported report campaigns attach",
            source.name
        )));
    }
    if !source.attached.is_empty() {
        return Err(Error::InvalidInput(format!(
            "'{}' has reports attached to it; detach them first",
            source.name
        )));
    }
    if let Some(owner) = target.attached_to {
        return Err(Error::InvalidInput(format!(
            "'{}' is itself attached to campaign {owner}; attach to that one",
            target.name
        )));
    }
    sqlx::query(
        "INSERT INTO campaign_attachments (campaign_id, source_campaign_id, mode, attached_at)
         VALUES (?1, ?2, 'manual', ?3)
         ON CONFLICT (source_campaign_id) DO UPDATE SET
             campaign_id = excluded.campaign_id, mode = 'manual', attached_at = excluded.attached_at",
    )
    .bind(campaign_id)
    .bind(source_id)
    .bind(now)
    .execute(workspace.pool())
    .await
    .map_err(db("attaching a report"))?;
    get_campaign(workspace, campaign_id).await
}

/// Detaches a report campaign; automatic matching will not attach it again.
pub async fn detach(workspace: &Workspace, source_id: i64, now: i64) -> Result<()> {
    let n = sqlx::query(
        "UPDATE campaign_attachments SET mode = 'excluded', attached_at = ?2
         WHERE source_campaign_id = ?1 AND mode <> 'excluded'",
    )
    .bind(source_id)
    .bind(now)
    .execute(workspace.pool())
    .await
    .map_err(db("detaching a report"))?
    .rows_affected();
    if n == 0 {
        return Err(Error::InvalidInput(format!(
            "campaign {source_id} is not attached to any campaign"
        )));
    }
    Ok(())
}

/// A choice the wizard offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Choice {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    /// Purpose, platform and format, or state: shown beside the name.
    pub detail: String,
}

/// What the wizard's pickers offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct WizardOptions {
    pub segments: Vec<Choice>,
    pub creatives: Vec<Choice>,
    pub sequences: Vec<Choice>,
    /// Imported report campaigns not yet attached, for attaching by hand.
    pub reports: Vec<Choice>,
    /// Currencies the workspace's metrics are in, most used first.
    pub currencies: Vec<String>,
    /// The last day any campaign has metrics for, to end the dashboard's range.
    pub last_metrics_day: Option<String>,
}

pub async fn wizard_options(workspace: &Workspace) -> Result<WizardOptions> {
    let choices = |sql: &'static str| async move {
        sqlx::query(sql)
            .fetch_all(workspace.pool())
            .await
            .map_err(db("reading the wizard's choices"))
            .map(|rows| {
                rows.iter()
                    .map(|r| Choice {
                        id: r.get(0),
                        name: r.get(1),
                        detail: r.get(2),
                    })
                    .collect::<Vec<_>>()
            })
    };
    Ok(WizardOptions {
        segments: choices("SELECT id, name, purpose FROM segments ORDER BY name").await?,
        creatives: choices(
            "SELECT id, name, platform || ' · ' || format FROM creatives ORDER BY name",
        )
        .await?,
        sequences: choices("SELECT id, name, status FROM sequences ORDER BY name").await?,
        reports: choices(
            "SELECT c.id, c.name, c.platform || coalesce(' · ' || i.file_name, '')
             FROM campaigns c LEFT JOIN imports i ON i.id = c.import_id
             WHERE c.import_id IS NOT NULL AND c.created_in_wizard = 0
               AND NOT EXISTS (SELECT 1 FROM campaign_attachments a
                               WHERE a.source_campaign_id = c.id AND a.mode <> 'excluded')
               AND NOT EXISTS (SELECT 1 FROM campaign_attachments a
                               WHERE a.campaign_id = c.id AND a.mode <> 'excluded')
             ORDER BY c.name",
        )
        .await?,
        currencies: sqlx::query_scalar(
            "SELECT currency FROM campaign_daily_metrics GROUP BY currency ORDER BY count(*) DESC",
        )
        .fetch_all(workspace.pool())
        .await
        .map_err(db("reading currencies"))?,
        last_metrics_day: sqlx::query_scalar(
            "SELECT max(d) FROM (SELECT max(day) AS d FROM campaign_daily_metrics
                                UNION ALL SELECT max(period_end) FROM ad_metrics)",
        )
        .fetch_one(workspace.pool())
        .await
        .map_err(db("reading the last day with metrics"))?,
    })
}
