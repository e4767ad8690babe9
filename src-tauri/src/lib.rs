//! The Rebound desktop app: a thin Tauri shell over `rebound-api`.
//! Commands are generated from the API's operation table in `commands.rs`;
//! the menu and title live in `window.rs`.

pub mod commands;
pub mod error;
pub mod window;

use rebound_api::session::Session;
use rebound_core::paths::AppDirs;
use tauri::Runtime;

/// Adds the app's state and commands to a builder. `run` adds the native
/// parts (plugins, menu, window); tests pass Tauri's mock builder instead.
pub fn with_commands<R: Runtime>(
    builder: tauri::Builder<R>,
    session: Session,
) -> tauri::Builder<R> {
    builder.manage(session).invoke_handler(commands::handler())
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
