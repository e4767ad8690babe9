//! Sequences: flow templates, saved flows, the sending rules, message
//! previews for a person, the dry run (with the context's progress and
//! cancel), exports of the flow (JSON) and its audience (CSV), and the test
//! e-mail through the user's SMTP settings (kept in `smtp.json` in the app's
//! config folder). Calls `rebound-sequences`.

use std::path::PathBuf;

use rebound_core::{Error, Result};
use rebound_sequences::{
    self as seq, history::PreviewPerson, DryRun, DryRunOptions, Flow, FlowStatus, FlowTemplate,
    MessagePreview, SavedFlow, SendingRules, SmtpSettings, Step,
};

use crate::Ctx;

pub async fn templates(_ctx: &Ctx<'_>) -> Result<Vec<FlowTemplate>> {
    Ok(seq::templates())
}

pub async fn list(ctx: &Ctx<'_>) -> Result<Vec<SavedFlow>> {
    Ok(seq::list_flows(&ctx.current().await?).await?)
}

/// Saves a new flow (`id` null) or replaces a saved one.
pub async fn save(
    ctx: &Ctx<'_>,
    id: Option<i64>,
    flow: Flow,
    status: FlowStatus,
) -> Result<SavedFlow> {
    let ws = ctx.current().await?;
    Ok(seq::save_flow(&ws, id, &flow, status, ctx.now_micros()).await?)
}

pub async fn delete(ctx: &Ctx<'_>, id: i64) -> Result<()> {
    Ok(seq::delete_flow(&ctx.current().await?, id).await?)
}

pub async fn rules(ctx: &Ctx<'_>) -> Result<SendingRules> {
    Ok(seq::get_rules(&ctx.current().await?).await?)
}

pub async fn rules_save(ctx: &Ctx<'_>, rules: SendingRules) -> Result<SendingRules> {
    seq::save_rules(&ctx.current().await?, &rules, ctx.now_micros()).await?;
    Ok(rules)
}

/// People worth previewing messages for.
pub async fn people(ctx: &Ctx<'_>, limit: u32) -> Result<Vec<PreviewPerson>> {
    Ok(seq::history::preview_people(&ctx.current().await?, limit).await?)
}

fn message_of<'a>(flow: &'a Flow, step_id: &str) -> Result<&'a seq::model::Message> {
    match flow.step(step_id) {
        Some(Step::Message { message, .. }) => Ok(message),
        _ => Err(seq::Error::InvalidFlow {
            flow: flow.name.clone(),
            at: step_id.to_string(),
            reason: "this step is not a message".into(),
        }
        .into()),
    }
}

/// A message step rendered for a person, as of the context's now.
pub async fn preview(
    ctx: &Ctx<'_>,
    flow: Flow,
    step_id: String,
    person_id: i64,
    variant: u32,
) -> Result<MessagePreview> {
    let ws = ctx.current().await?;
    let person = seq::person_fields(&ws, person_id, ctx.now_micros()).await?;
    Ok(seq::preview(
        message_of(&flow, &step_id)?,
        &person,
        variant as usize,
    )?)
}

/// Replays history through a draft flow; nothing is sent.
pub async fn dry_run(ctx: &Ctx<'_>, flow: Flow, options: DryRunOptions) -> Result<DryRun> {
    let ws = ctx.current().await?;
    Ok(seq::dry_run(&ws, &flow, &options, ctx.progress(), ctx.cancel()).await?)
}

/// Writes the flow as its JSON export file.
pub async fn export_json(_ctx: &Ctx<'_>, flow: Flow, path: PathBuf) -> Result<()> {
    std::fs::write(&path, seq::export_json(&flow)).map_err(Error::io("write", &path))
}

/// Runs the dry run and writes its audience as an ESP-ready CSV, with consent
/// as of the end of the period; returns how many people entered.
pub async fn export_csv(
    ctx: &Ctx<'_>,
    flow: Flow,
    options: DryRunOptions,
    path: PathBuf,
) -> Result<u64> {
    let ws = ctx.current().await?;
    let run = seq::dry_run(&ws, &flow, &options, ctx.progress(), ctx.cancel()).await?;
    let as_of = seq::engine::Period::parse(&options.from, &options.to)?.end;
    let csv = seq::audience_csv(&ws, &flow, &run, as_of).await?;
    std::fs::write(&path, csv).map_err(Error::io("write", &path))?;
    Ok(run.entered)
}

/// The SMTP settings, the password masked.
pub async fn smtp_settings(ctx: &Ctx<'_>) -> Result<SmtpSettings> {
    Ok(SmtpSettings::load(&ctx.smtp_file()).for_display())
}

pub async fn smtp_settings_save(ctx: &Ctx<'_>, settings: SmtpSettings) -> Result<SmtpSettings> {
    Ok(SmtpSettings::save(&ctx.smtp_file(), &settings)?)
}

/// Sends the e-mail step rendered for a person to the SMTP settings' own
/// address; returns that address.
pub async fn send_test(
    ctx: &Ctx<'_>,
    flow: Flow,
    step_id: String,
    person_id: i64,
    variant: u32,
) -> Result<String> {
    let ws = ctx.current().await?;
    let person = seq::person_fields(&ws, person_id, ctx.now_micros()).await?;
    let MessagePreview::Email(preview) =
        seq::preview(message_of(&flow, &step_id)?, &person, variant as usize)?
    else {
        return Err(
            seq::Error::Smtp("only e-mail steps can be sent as a test e-mail".into()).into(),
        );
    };
    let settings = SmtpSettings::load(&ctx.smtp_file());
    let to = settings.to.clone();
    seq::smtp::send_test_email_async(settings, preview).await?;
    Ok(to)
}
