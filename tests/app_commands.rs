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
    // The count above read the workspace into memory; nothing is under way now.
    assert_eq!(
        call(&webview, "segment_engine_reading", json!({})).unwrap(),
        json!(null)
    );
    assert_eq!(
        call(&webview, "segment_engine_cancel", json!({})).unwrap(),
        json!(false)
    );

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
    assert_eq!(nobody["code"], json!("person_not_found"));

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

#[test]
fn creatives_through_ipc_formats_templates_preview_errors() {
    let home = tempfile::tempdir().unwrap();
    let (_app, webview) = app(home.path());
    call(
        &webview,
        "workspace_create",
        json!({ "path": home.path().join("Creatives") }),
    )
    .unwrap();

    let formats = call(&webview, "creative_formats", json!({})).unwrap();
    assert_eq!(formats.as_array().unwrap().len(), 10);
    assert_eq!(formats[6]["format"], json!("google_300x250"));
    assert_eq!(
        call(&webview, "creative_tokens", json!({})).unwrap()[0]["token"],
        json!("{{product.title}}")
    );
    let logos = call(&webview, "creative_logos", json!({})).unwrap();
    assert!(logos[0]["data_url"]
        .as_str()
        .unwrap()
        .starts_with("data:image/svg+xml;base64,"));

    let templates = call(&webview, "creative_templates", json!({})).unwrap();
    assert_eq!(templates.as_array().unwrap().len(), 3);
    let mut definition = templates[0]["definition"].clone();
    let clash = call(
        &webview,
        "creative_template_save",
        json!({ "id": null, "definition": definition }),
    )
    .unwrap_err();
    assert_eq!(clash["code"], json!("already_exists"));
    definition["name"] = json!("Copy");
    let saved = call(
        &webview,
        "creative_template_save",
        json!({ "id": null, "definition": definition }),
    )
    .unwrap();
    call(
        &webview,
        "creative_template_delete",
        json!({ "id": saved["id"] }),
    )
    .unwrap();

    assert_eq!(
        call(&webview, "creative_people", json!({ "limit": 5 })).unwrap(),
        json!([])
    );
    let missing = call(
        &webview,
        "creative_preview",
        json!({ "definition": definition, "format": "meta_square", "personId": 99 }),
    )
    .unwrap_err();
    assert_eq!(missing["code"], json!("person_not_found"));
    assert!(missing["message"]
        .as_str()
        .unwrap()
        .contains("no person with id 99"));
    assert_eq!(
        call(&webview, "creative_images_folder", json!({})).unwrap(),
        Value::Null
    );
    let bad = call(
        &webview,
        "creative_set_images_folder",
        json!({ "folder": home.path().join("nope") }),
    )
    .unwrap_err();
    assert_eq!(bad["code"], json!("io"));
}

#[test]
fn campaigns_through_ipc_plan_save_metrics_chart_export_errors() {
    let home = tempfile::tempdir().unwrap();
    let (_app, webview) = app(home.path());
    call(
        &webview,
        "workspace_create",
        json!({ "path": home.path().join("Campaigns") }),
    )
    .unwrap();
    let draft = json!({
        "name": "Winter cart rescue", "goal": "journey", "segment_id": null,
        "channels": ["meta_ads", "email"], "creative_ids": [], "sequence_id": null,
        "messages_per_person": 2,
        "budget": { "kind": "daily", "amount_minor": 4000, "currency": "USD" },
        "starts_on": "2026-12-01", "ends_on": "2026-12-14", "status": "draft",
        "platform_campaign_id": null
    });
    let problems = call(&webview, "campaign_check", json!({ "draft": draft })).unwrap();
    assert_eq!(problems, json!([]));
    let plan = call(&webview, "campaign_plan", json!({ "draft": draft })).unwrap();
    assert_eq!(plan["projection"]["days"], json!(14));
    assert_eq!(plan["reach"], Value::Null);
    let saved = call(
        &webview,
        "campaign_save",
        json!({ "id": null, "draft": draft }),
    )
    .unwrap();
    assert_eq!(saved["origin"], json!("wizard"));
    let list = call(&webview, "campaigns_list", json!({})).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    // Going live without an audience or creatives is refused with the reason.
    let err = call(
        &webview,
        "campaign_set_status",
        json!({ "id": saved["id"], "status": "active" }),
    )
    .unwrap_err();
    assert_eq!(err["code"], json!("invalid_input"));
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("choose the segment"));

    let query =
        json!({ "from": "2026-11-01", "to": "2026-11-30", "by": "day", "campaign_id": null });
    let report = call(&webview, "campaign_metrics", json!({ "query": query })).unwrap();
    assert_eq!(report["blocks"], json!([]));
    let no_chart = call(
        &webview,
        "campaign_chart",
        json!({ "query": query, "currency": "USD", "kpi": "cost", "theme": "light" }),
    )
    .unwrap_err();
    assert_eq!(
        no_chart["message"],
        json!("there are no USD figures to draw")
    );
    let csv = home.path().join("table.csv");
    call(
        &webview,
        "campaign_table_export",
        json!({ "table": { "columns": ["Campaign"], "rows": [["=1+1"]] }, "path": csv }),
    )
    .unwrap();
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), "Campaign\n'=1+1\n");
    let om = call(
        &webview,
        "campaign_over_messaging",
        json!({ "from": "2026-11-01", "to": "2026-11-30" }),
    )
    .unwrap();
    assert_eq!(om["channels"].as_array().unwrap().len(), 3);
}

#[test]
fn sequences_through_ipc_templates_save_rules_exports_errors() {
    let home = tempfile::tempdir().unwrap();
    let (_app, webview) = app(home.path());
    call(
        &webview,
        "workspace_create",
        json!({ "path": home.path().join("Sequences") }),
    )
    .unwrap();
    let templates = call(&webview, "sequence_templates", json!({})).unwrap();
    let journey = templates
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == "pricing_page_journey")
        .expect("the seed's journey")["flow"]
        .clone();
    let saved = call(
        &webview,
        "sequence_save",
        json!({ "id": null, "flow": journey, "status": "active" }),
    )
    .unwrap();
    assert_eq!(saved["status"], "active");
    let err = call(
        &webview,
        "sequence_save",
        json!({ "id": null, "flow": journey, "status": "draft" }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "already_exists");
    let list = call(&webview, "sequences_list", json!({})).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);

    let mut rules = call(&webview, "sequence_rules", json!({})).unwrap();
    rules["send_time_optimisation"] = json!(true);
    call(&webview, "sequence_rules_save", json!({ "rules": rules })).unwrap();
    assert_eq!(
        call(&webview, "sequence_rules", json!({})).unwrap()["send_time_optimisation"],
        true
    );

    let err = call(
        &webview,
        "sequence_preview",
        json!({ "flow": journey, "stepId": "case-study", "personId": 12345, "variant": 0 }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "person_not_found");
    assert!(err["message"]
        .as_str()
        .unwrap()
        .contains("no person with id 12345"));

    let json_path = home.path().join("journey.json");
    call(
        &webview,
        "sequence_export_json",
        json!({ "flow": journey, "path": json_path }),
    )
    .unwrap();
    let exported: Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(exported["format"], "rebound.sequence");
    let csv_path = home.path().join("audience.csv");
    let rows = call(
        &webview,
        "sequence_export_csv",
        json!({ "flow": journey, "options": { "from": "2026-11-01", "to": "2026-11-07", "seed": 1 }, "path": csv_path }),
    )
    .unwrap();
    assert_eq!(rows, json!(0));
    assert!(std::fs::read_to_string(&csv_path)
        .unwrap()
        .starts_with("person_id,"));
    let err = call(
        &webview,
        "sequence_export_csv",
        json!({ "flow": journey, "options": { "from": "2026-11-07", "to": "2026-11-01", "seed": 1 }, "path": csv_path }),
    )
    .unwrap_err();
    assert!(err["message"].as_str().unwrap().contains("after the last"));
}
