//! The Rebound desktop app: a thin Tauri layer over `rebound-core`.
//! Commands live in `commands/`, the menu and title in `window.rs`.

pub mod commands;
pub mod error;
pub mod window;

use rebound_core::paths::AppDirs;
use rebound_core::session::Session;
use tauri::Runtime;

/// Adds the app's state and commands to a builder. `run` adds the native
/// parts (plugins, menu, window); tests pass Tauri's mock builder instead.
pub fn with_commands<R: Runtime>(
    builder: tauri::Builder<R>,
    session: Session,
) -> tauri::Builder<R> {
    builder
        .manage(session)
        .invoke_handler(tauri::generate_handler![
            commands::workspace::app_status,
            commands::workspace::workspace_open,
            commands::workspace::workspace_create,
            commands::workspace::workspace_info,
            commands::dashboard::dashboard,
            commands::demo::demo_load,
            commands::demo::job_cancel,
            commands::experiments::experiments_list,
            commands::experiments::experiment_detail,
            commands::experiments::experiment_export,
            commands::experiments::planner_defaults,
            commands::experiments::experiment_plan,
            commands::experiments::experiment_analyze,
            commands::experiments::split_test_options,
            commands::experiments::split_test_create,
            commands::experiments::audience_test_create,
            commands::experiments::audience_test_export_arms,
            commands::import::import_inspect,
            commands::import::import_run,
            commands::import::imports_list,
            commands::import::import_undo,
            commands::import::import_rejections,
            commands::reports::reports_list,
            commands::reports::report_rows,
            commands::campaigns::campaigns_list,
            commands::campaigns::campaign_summaries,
            commands::campaigns::campaign_get,
            commands::campaigns::campaign_wizard_options,
            commands::campaigns::campaign_check,
            commands::campaigns::campaign_plan,
            commands::campaigns::campaign_save,
            commands::campaigns::campaign_set_status,
            commands::campaigns::campaign_delete,
            commands::campaigns::campaign_attach,
            commands::campaigns::campaign_detach,
            commands::campaigns::campaign_metrics,
            commands::campaigns::campaign_chart,
            commands::campaigns::campaign_chart_export,
            commands::campaigns::campaign_attribution,
            commands::campaigns::campaign_over_messaging,
            commands::campaigns::campaign_table_export,
            commands::segments::segment_templates,
            commands::segments::segment_vocabulary,
            commands::segments::segment_engine_reading,
            commands::segments::segment_engine_cancel,
            commands::segments::segments_list,
            commands::segments::segment_get,
            commands::segments::segment_save,
            commands::segments::segment_delete,
            commands::segments::segment_count,
            commands::segments::segment_sample,
            commands::segments::segment_members,
            commands::segments::segment_breakdowns,
            commands::segments::segment_membership,
            commands::segments::segments_overlap,
            commands::segments::person_timeline,
            commands::segments::segments_export,
            commands::segments::segments_import,
            commands::sequences::sequence_templates,
            commands::sequences::sequences_list,
            commands::sequences::sequence_save,
            commands::sequences::sequence_delete,
            commands::sequences::sequence_rules,
            commands::sequences::sequence_rules_save,
            commands::sequences::sequence_people,
            commands::sequences::sequence_preview,
            commands::sequences::sequence_dry_run,
            commands::sequences::sequence_export_json,
            commands::sequences::sequence_export_csv,
            commands::sequences::smtp_settings,
            commands::sequences::smtp_settings_save,
            commands::sequences::sequence_send_test,
            commands::creatives::creative_formats,
            commands::creatives::creative_logos,
            commands::creatives::creative_tokens,
            commands::creatives::creative_templates,
            commands::creatives::creative_template_save,
            commands::creatives::creative_template_delete,
            commands::creatives::creative_people,
            commands::creatives::creative_preview,
            commands::creatives::creative_grid,
            commands::creatives::creative_export,
            commands::creatives::creative_images_folder,
            commands::creatives::creative_set_images_folder,
            commands::settings::settings_set_theme,
            commands::settings::recent_forget,
        ])
}

pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("REBOUND_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let dirs = match AppDirs::from_env() {
        Ok(dirs) => dirs,
        Err(error) => {
            eprintln!("Rebound cannot start: {error}");
            std::process::exit(1);
        }
    };
    with_commands(
        tauri::Builder::default(),
        Session::new(dirs, rebound_core::time::system_clock),
    )
    .plugin(tauri_plugin_dialog::init())
    .plugin(tauri_plugin_window_state::Builder::default().build())
    .setup(|app| {
        let session = tauri::Manager::state::<Session>(app);
        let menu = window::build_menu(app.handle(), &session)?;
        app.set_menu(menu)?;
        Ok(())
    })
    .on_menu_event(window::on_menu_event)
    .run(tauri::generate_context!())
    .expect("error while running Rebound");
}
