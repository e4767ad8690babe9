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

#[test]
fn segments_through_ipc_save_count_chart_export_import() {
    let home = tempfile::tempdir().unwrap();
    let (_app, webview) = app(home.path());
    call(
        &webview,
        "workspace_create",
        json!({ "path": home.path().join("Segments") }),
    )
    .unwrap();

    let templates = call(&webview, "segment_templates", json!({})).unwrap();
    let lapsed = templates
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == "lapsed_customers")
        .expect("lapsed customers template")["definition"]
        .clone();
    let count = call(
        &webview,
        "segment_count",
        json!({ "definition": lapsed, "asOfDay": "2026-10-31" }),
    )
    .unwrap();
    assert_eq!(count["members"], json!(0));
    assert_eq!(count["consent_channel"], json!("email"));
    assert_eq!(count["left_out_without_consent"], json!(true));

    let saved = call(
        &webview,
        "segment_save",
        json!({ "id": null, "definition": lapsed }),
    )
    .unwrap();
    let id = saved["id"].clone();
    let again = call(
        &webview,
        "segment_save",
        json!({ "id": null, "definition": lapsed }),
    )
    .unwrap_err();
    assert_eq!(again["code"], json!("already_exists"));
    let list = call(&webview, "segments_list", json!({})).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);

    let chart = call(
        &webview,
        "segment_membership",
        json!({ "definition": lapsed, "from": "2026-10-01", "to": "2026-10-07", "theme": "dark" }),
    )
    .unwrap();
    assert_eq!(chart["days"].as_array().unwrap().len(), 7);
    assert!(chart["svg"].as_str().unwrap().starts_with("<svg"));
    let overlap = call(&webview, "segments_overlap", json!({ "asOfDay": null })).unwrap();
    assert_eq!(overlap["shared"], json!([[0]]));
    let vocabulary = call(&webview, "segment_vocabulary", json!({})).unwrap();
    assert_eq!(vocabulary["event_names"], json!([]));
    let nobody = call(
        &webview,
        "person_timeline",
        json!({ "personId": 1, "offset": 0, "limit": 50 }),
    )
    .unwrap_err();
    assert_eq!(nobody["code"], json!("invalid_input"));

    let file = home.path().join("segments.json");
    let written = call(
        &webview,
        "segments_export",
        json!({ "ids": [], "path": file }),
    )
    .unwrap();
    assert_eq!(written, json!(1));
    let clash = call(&webview, "segments_import", json!({ "path": file })).unwrap_err();
    assert_eq!(clash["code"], json!("already_exists"));
    call(&webview, "segment_delete", json!({ "id": id })).unwrap();
    let imported = call(&webview, "segments_import", json!({ "path": file })).unwrap();
    assert_eq!(imported[0]["definition"]["name"], lapsed["name"]);
}
