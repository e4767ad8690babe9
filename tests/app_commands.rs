//! The app's Tauri commands driven through Tauri's mock runtime: real IPC
//! messages in, JSON out, no window. Checks the command names and argument
//! shapes the UI uses, and that errors cross as `{ code, message }`.

use rebound_core::paths::AppDirs;
use rebound_core::session::Session;
use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindowBuilder;

fn request(cmd: &str, body: Value) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(body),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

fn app(
    home: &std::path::Path,
) -> (
    tauri::App<tauri::test::MockRuntime>,
    tauri::WebviewWindow<tauri::test::MockRuntime>,
) {
    let session = Session::new(AppDirs::under(home), chrono::Utc::now);
    let app = rebound_app::with_commands(mock_builder(), session)
        .build(mock_context(noop_assets()))
        .expect("mock app");
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default())
        .build()
        .expect("mock window");
    (app, webview)
}

fn call(
    webview: &tauri::WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    body: Value,
) -> Result<Value, Value> {
    get_ipc_response(webview, request(cmd, body)).map(|b| b.deserialize::<Value>().unwrap())
}

#[test]
fn status_create_info_dashboard_through_ipc() {
    let home = tempfile::tempdir().unwrap();
    let (_app, webview) = app(home.path());

    let status = call(&webview, "app_status", json!({})).unwrap();
    assert_eq!(status["first_run"], json!(true));
    assert_eq!(status["workspace"], Value::Null);
    assert_eq!(status["settings"]["theme"], json!("system"));

    let path = home.path().join("Launch plan");
    let created = call(&webview, "workspace_create", json!({ "path": path })).unwrap();
    assert_eq!(created["name"], json!("Launch plan"));
    assert!(created["path"]
        .as_str()
        .unwrap()
        .ends_with("Launch plan.rebound"));

    let info = call(&webview, "workspace_info", json!({})).unwrap();
    let tables = info["tables"].as_array().unwrap();
    assert!(tables
        .iter()
        .any(|t| t["table"] == "events" && t["rows"] == 0));

    let board = call(&webview, "dashboard", json!({ "theme": "dark" })).unwrap();
    assert_eq!(board["is_empty"], json!(true));
    assert_eq!(board["kpis"]["people"], json!(0));

    let settings = call(&webview, "settings_set_theme", json!({ "theme": "dark" })).unwrap();
    assert_eq!(settings["theme"], json!("dark"));
    assert_eq!(settings["recent"][0]["name"], json!("Launch plan"));
}

#[test]
fn errors_cross_as_code_and_message() {
    let home = tempfile::tempdir().unwrap();
    let (_app, webview) = app(home.path());

    let err = call(&webview, "workspace_info", json!({})).unwrap_err();
    assert_eq!(
        err,
        json!({ "code": "no_workspace", "message": "no workspace is open" })
    );

    let missing = home.path().join("nowhere.rebound");
    let err = call(&webview, "workspace_open", json!({ "path": missing })).unwrap_err();
    assert_eq!(err["code"], json!("workspace_not_found"));
    assert!(err["message"].as_str().unwrap().contains("nowhere.rebound"));

    let bogus = home.path().join("notes.rebound");
    std::fs::write(&bogus, "not a database").unwrap();
    let err = call(&webview, "workspace_open", json!({ "path": bogus })).unwrap_err();
    assert_eq!(err["code"], json!("not_a_workspace"));

    let err = call(&webview, "settings_set_theme", json!({ "theme": "sepia" })).unwrap_err();
    assert!(
        err.is_string() || err.is_object(),
        "bad arguments are refused: {err}"
    );
}

#[test]
fn cancelling_an_unknown_job_says_so() {
    let home = tempfile::tempdir().unwrap();
    let (_app, webview) = app(home.path());
    assert_eq!(
        call(
            &webview,
            "job_cancel",
            json!({ "jobId": "nothing-running" })
        )
        .unwrap(),
        json!(false)
    );
}
