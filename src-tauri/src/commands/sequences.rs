//! Sequences: flow templates, saved flows, the sending rules, message
//! previews for a person, the dry run (progress + cancel), exports of the
//! flow (JSON) and its audience (CSV), and the test e-mail through the
//! user's SMTP settings (kept in `smtp.json` in the config folder). Each
//! command unpacks its arguments and calls `rebound-sequences`.

use std::path::PathBuf;

use rebound_core::paths::AppDirs;
use rebound_core::session::Session;
use rebound_core::Progress;
use rebound_sequences::{
    self as seq, history::PreviewPerson, DryRun, DryRunOptions, Flow, FlowStatus, FlowTemplate,
    MessagePreview, SavedFlow, SendingRules, SmtpSettings, Step,
};
use tauri::ipc::Channel;
use tauri::State;

use crate::error::IpcResult;

fn smtp_path() -> IpcResult<PathBuf> {
    Ok(seq::smtp::settings_file(&AppDirs::from_env()?.config))
}

#[tauri::command]
pub fn sequence_templates() -> Vec<FlowTemplate> {
    seq::templates()
}

#[tauri::command]
pub async fn sequences_list(session: State<'_, Session>) -> IpcResult<Vec<SavedFlow>> {
    Ok(seq::list_flows(&session.current().await?).await?)
}

/// Saves a new flow (`id` null) or replaces a saved one.
#[tauri::command]
pub async fn sequence_save(
    session: State<'_, Session>,
    id: Option<i64>,
    flow: Flow,
    status: FlowStatus,
) -> IpcResult<SavedFlow> {
    let at = session.now().timestamp_micros();
    Ok(seq::save_flow(&session.current().await?, id, &flow, status, at).await?)
}

#[tauri::command]
pub async fn sequence_delete(session: State<'_, Session>, id: i64) -> IpcResult<()> {
    Ok(seq::delete_flow(&session.current().await?, id).await?)
}

#[tauri::command]
pub async fn sequence_rules(session: State<'_, Session>) -> IpcResult<SendingRules> {
    Ok(seq::get_rules(&session.current().await?).await?)
}

#[tauri::command]
pub async fn sequence_rules_save(
    session: State<'_, Session>,
    rules: SendingRules,
) -> IpcResult<SendingRules> {
    let at = session.now().timestamp_micros();
    seq::save_rules(&session.current().await?, &rules, at).await?;
    Ok(rules)
}

#[tauri::command]
pub async fn sequence_people(
    session: State<'_, Session>,
    limit: u32,
) -> IpcResult<Vec<PreviewPerson>> {
    Ok(seq::history::preview_people(&session.current().await?, limit).await?)
}

fn message_of<'a>(flow: &'a Flow, step_id: &str) -> IpcResult<&'a seq::model::Message> {
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

/// A message step rendered for a person, as of the session's now.
#[tauri::command]
pub async fn sequence_preview(
    session: State<'_, Session>,
    flow: Flow,
    step_id: String,
    person_id: i64,
    variant: u32,
) -> IpcResult<MessagePreview> {
    let ws = session.current().await?;
    let person = seq::person_fields(&ws, person_id, session.now().timestamp_micros()).await?;
    Ok(seq::preview(
        message_of(&flow, &step_id)?,
        &person,
        variant as usize,
    )?)
}

/// Replays history through a draft flow, streaming progress; `job_id` names
/// the job for `job_cancel`.
#[tauri::command]
pub async fn sequence_dry_run(
    session: State<'_, Session>,
    flow: Flow,
    options: DryRunOptions,
    job_id: String,
    on_progress: Channel<Progress>,
) -> IpcResult<DryRun> {
    let ws = session.current().await?;
    let cancel = session.start_job(&job_id);
    let report = |p: &Progress| {
        let _ = on_progress.send(p.clone());
    };
    let result = seq::dry_run(&ws, &flow, &options, &report, &cancel).await;
    session.finish_job(&job_id);
    Ok(result?)
}

#[tauri::command]
pub fn sequence_export_json(flow: Flow, path: PathBuf) -> IpcResult<()> {
    std::fs::write(&path, seq::export_json(&flow)).map_err(|source| seq::Error::Io {
        op: "write",
        path: path.clone(),
        source,
    })?;
    Ok(())
}

/// Runs the dry run and writes its audience as CSV; the number of rows.
#[tauri::command]
pub async fn sequence_export_csv(
    session: State<'_, Session>,
    flow: Flow,
    options: DryRunOptions,
    path: PathBuf,
) -> IpcResult<u64> {
    let ws = session.current().await?;
    let run = seq::dry_run(
        &ws,
        &flow,
        &options,
        &|_| {},
        &rebound_core::CancelToken::new(),
    )
    .await?;
    // Consent as of the end of the period.
    let as_of = seq::engine::Period::parse(&options.from, &options.to)?.end;
    let csv = seq::audience_csv(&ws, &flow, &run, as_of).await?;
    std::fs::write(&path, csv).map_err(|source| seq::Error::Io {
        op: "write",
        path: path.clone(),
        source,
    })?;
    Ok(run.entered)
}

#[tauri::command]
pub fn smtp_settings() -> IpcResult<SmtpSettings> {
    Ok(SmtpSettings::load(&smtp_path()?).for_display())
}

#[tauri::command]
pub fn smtp_settings_save(settings: SmtpSettings) -> IpcResult<SmtpSettings> {
    Ok(SmtpSettings::save(&smtp_path()?, &settings)?)
}

/// Sends the e-mail step rendered for a person to the SMTP settings' own
/// address; returns that address.
#[tauri::command]
pub async fn sequence_send_test(
    session: State<'_, Session>,
    flow: Flow,
    step_id: String,
    person_id: i64,
    variant: u32,
) -> IpcResult<String> {
    let ws = session.current().await?;
    let person = seq::person_fields(&ws, person_id, session.now().timestamp_micros()).await?;
    let MessagePreview::Email(preview) =
        seq::preview(message_of(&flow, &step_id)?, &person, variant as usize)?
    else {
        return Err(
            seq::Error::Smtp("only e-mail steps can be sent as a test e-mail".into()).into(),
        );
    };
    let settings = SmtpSettings::load(&smtp_path()?);
    let to = settings.to.clone();
    seq::smtp::send_test_email_async(settings, preview).await?;
    Ok(to)
}
