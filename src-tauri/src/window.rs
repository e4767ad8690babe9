//! The native side of the window: the menu bar (File › New / Open / Open
//! Recent / Load Demo Workspace) and the title. Menu clicks are forwarded to
//! the UI as a `menu` event, so a menu item and its button do the same thing.

use rebound_api::session::Session;
use serde::Serialize;
use tauri::menu::{Menu, MenuBuilder, MenuEvent, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, Emitter, Manager, Runtime};

/// What the UI is asked to do when a menu item is chosen.
#[derive(Debug, Clone, Serialize)]
pub struct MenuAction {
    pub action: String,
    pub path: Option<String>,
}

const RECENT_PREFIX: &str = "recent:";

pub fn build_menu<R: Runtime>(app: &AppHandle<R>, session: &Session) -> tauri::Result<Menu<R>> {
    let settings = session.settings();
    let mut recent = SubmenuBuilder::new(app, "Open Recent");
    if settings.recent.is_empty() {
        recent = recent.item(
            &MenuItemBuilder::with_id("recent-none", "No Recent Workspaces")
                .enabled(false)
                .build(app)?,
        );
    }
    for item in &settings.recent {
        recent = recent.item(
            &MenuItemBuilder::with_id(format!("{RECENT_PREFIX}{}", item.path), &item.name)
                .build(app)?,
        );
    }
    let file = SubmenuBuilder::new(app, "File")
        .item(
            &MenuItemBuilder::with_id("new_workspace", "New Workspace…")
                .accelerator("CmdOrCtrl+N")
                .build(app)?,
        )
        .item(
            &MenuItemBuilder::with_id("open_workspace", "Open Workspace…")
                .accelerator("CmdOrCtrl+O")
                .build(app)?,
        )
        .item(&recent.build()?)
        .separator()
        .item(
            &MenuItemBuilder::with_id("import_files", "Import…")
                .accelerator("CmdOrCtrl+I")
                .build(app)?,
        )
        .separator()
        .item(&MenuItemBuilder::with_id("load_demo", "Load Demo Workspace").build(app)?)
        .separator()
        .quit()
        .build()?;
    let edit = SubmenuBuilder::new(app, "Edit")
        .undo()
        .redo()
        .separator()
        .cut()
        .copy()
        .paste()
        .select_all()
        .build()?;
    MenuBuilder::new(app).item(&file).item(&edit).build()
}

pub fn on_menu_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent) {
    let id = event.id().as_ref();
    let action = match id.strip_prefix(RECENT_PREFIX) {
        Some(path) => MenuAction {
            action: "open_recent".into(),
            path: Some(path.to_string()),
        },
        None => MenuAction {
            action: id.to_string(),
            path: None,
        },
    };
    if let Err(error) = app.emit("menu", action) {
        tracing::warn!(%error, "could not forward a menu action to the window");
    }
}

/// Refreshes the title and the recent-files menu after the workspace changed.
pub async fn workspace_changed<R: Runtime>(app: &AppHandle<R>, session: &Session) {
    let title = match session.current().await {
        Ok(workspace) => format!("{} — Rebound", workspace.name()),
        Err(_) => "Rebound".to_string(),
    };
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.set_title(&title);
    }
    // Only an app that shows a menu bar gets its recent list refreshed
    // (tests run the commands on a host without one).
    if app.menu().is_none() {
        return;
    }
    match build_menu(app, session) {
        Ok(menu) => {
            let _ = app.set_menu(menu);
        }
        Err(error) => tracing::warn!(%error, "could not rebuild the menu"),
    }
}
