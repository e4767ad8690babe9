//! The app's Tauri commands driven through Tauri's mock runtime: real IPC
//! messages in, JSON out, no window. Checks the command names and argument
//! shapes the UI uses, and that errors cross as `{ code, message }`.

use rebound_api::session::Session;
use rebound_core::paths::AppDirs;
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

    // Arguments that do not fit the command's types are refused by Tauri
    // before any code runs, naming the argument and what it accepts.
    let err = call(&webview, "settings_set_theme", json!({ "theme": "sepia" })).unwrap_err();
    let message = err.as_str().expect("Tauri's own message");
    assert!(
        message.contains("`theme`") && message.contains("unknown variant `sepia`"),
        "{message}"
    );
    assert_eq!(
        call(&webview, "app_status", json!({})).unwrap()["settings"]["theme"],
        "system",
        "and nothing changed"
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
        json!({ "query": { "from": "2026-11-01", "to": "2026-11-30" } }),
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

/// The result of a command that must succeed, naming it when it does not.
fn ok(webview: &tauri::WebviewWindow<tauri::test::MockRuntime>, cmd: &str, body: Value) -> Value {
    call(webview, cmd, body).unwrap_or_else(|e| panic!("{cmd} failed: {e}"))
}

/// A channel argument as the UI's `Channel` serialises it; the mock runtime
/// drops what is sent through it.
const PROGRESS: &str = "__CHANNEL__:7";

/// Builds the demo workspace (a small one) through IPC and opens it.
fn demo(webview: &tauri::WebviewWindow<tauri::test::MockRuntime>) -> Value {
    ok(
        webview,
        "demo_load",
        json!({ "target": "demo", "people": 400, "jobId": "demo", "onProgress": PROGRESS }),
    )
}

/// Opens the demo file a second time, for the domain's own answers.
fn workspace_of(loaded: &Value) -> rebound_core::Workspace {
    let path = std::path::PathBuf::from(loaded["workspace"]["path"].as_str().unwrap());
    tauri::async_runtime::block_on(rebound_core::Workspace::open(&path)).unwrap()
}

#[test]
fn demo_experiments_and_the_planner_through_ipc() {
    let home = tempfile::tempdir().unwrap();
    let (_app, webview) = app(home.path());
    let loaded = demo(&webview);
    assert_eq!(loaded["demo"]["people"], json!(400));
    assert_eq!(loaded["workspace"]["name"], json!("Demo"));
    assert_eq!(loaded["workspace"]["has_demo_data"], json!(true));
    let info = ok(&webview, "workspace_info", json!({}));
    let people = info["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "people")
        .unwrap()["rows"]
        .clone();
    assert_eq!(people, json!(400));

    // Forgetting the demo file drops it from the recent list; it stays open.
    let path = loaded["workspace"]["path"].clone();
    let settings = ok(&webview, "recent_forget", json!({ "path": path }));
    assert!(settings["recent"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["path"] != path));
    assert_eq!(ok(&webview, "workspace_info", json!({}))["name"], "Demo");

    let list = ok(&webview, "experiments_list", json!({}));
    let first = &list.as_array().unwrap()[0];
    let id = first["id"].clone();
    let detail = ok(
        &webview,
        "experiment_detail",
        json!({ "id": id, "theme": "light" }),
    );
    assert_eq!(detail["experiment"]["name"], first["name"]);
    assert_eq!(
        detail["report"]["variants"].as_array().unwrap().len() as u64,
        first["variants"].as_u64().unwrap()
    );
    let csv = home.path().join("experiment.csv");
    ok(
        &webview,
        "experiment_export",
        json!({ "id": id, "format": "csv", "path": csv }),
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("variant,is_control,n,conversions,rate,"));
    assert_eq!(
        text.lines().count() as u64,
        1 + first["variants"].as_u64().unwrap()
    );

    let defaults = ok(&webview, "planner_defaults", json!({}));
    let ws = workspace_of(&loaded);
    let domain =
        tauri::async_runtime::block_on(rebound_experiments::planner_defaults(&ws)).unwrap();
    assert_eq!(defaults, serde_json::to_value(&domain).unwrap());
    assert!(domain.baseline_rate.unwrap() > 0.0 && domain.baseline_rate.unwrap() < 1.0);

    // 10% baseline, +10% relative, alpha 0.05, power 0.8: 14,750 per arm by
    // the two-proportion formula (statsmodels' NormalIndPower on Cohen's h
    // gives 14,745).
    let plan = ok(
        &webview,
        "experiment_plan",
        json!({ "request": {
            "design": { "baseline": { "kind": "rate", "rate": 0.1 }, "alpha": 0.05, "power": 0.8,
                        "variants": 2, "daily_traffic": 1000 },
            "relative_mde": 0.1, "n_per_variant": null } }),
    );
    let n = plan["sample"]["n_per_variant"].as_f64().unwrap();
    assert!((14_700.0..=14_800.0).contains(&n), "{n}");

    // 100/1000 against 130/1000: two-sided z-test p = 0.0355 (scipy).
    let analysis = ok(
        &webview,
        "experiment_analyze",
        json!({ "data": {
            "variants": [
                { "name": "Control", "n": 1000, "conversions": 100, "sum": null, "sum_squares": null, "covariate": null },
                { "name": "New copy", "n": 1000, "conversions": 130, "sum": null, "sum_squares": null, "covariate": null }
            ],
            "conversion_metric": "signups", "value_metric": null },
          "theme": "dark" }),
    );
    let p = analysis["report"]["variants"][1]["conversion"]["p_value"]
        .as_f64()
        .unwrap();
    assert!((p - 0.0355).abs() < 0.001, "{p}");
    let lift = analysis["charts"]["forest_svg"].as_str().unwrap();
    assert!(
        lift.starts_with("<svg") && lift.contains("New copy"),
        "the treatment is drawn"
    );
}

#[test]
fn demo_segments_audience_tests_and_creatives_through_ipc() {
    let home = tempfile::tempdir().unwrap();
    let (_app, webview) = app(home.path());
    let loaded = demo(&webview);
    let templates = ok(&webview, "segment_templates", json!({}));
    let browsers = templates
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["key"] == "product_viewers_without_purchase")
        .expect("a template")["definition"]
        .clone();
    let saved = ok(
        &webview,
        "segment_save",
        json!({ "id": null, "definition": browsers }),
    );
    let got = ok(&webview, "segment_get", json!({ "id": saved["id"] }));
    assert_eq!(got, saved);

    let count = ok(
        &webview,
        "segment_count",
        json!({ "definition": browsers, "asOfDay": null }),
    );
    let members = count["members"].as_u64().unwrap();
    assert!(members > 0, "{count}");
    let page = ok(
        &webview,
        "segment_members",
        json!({ "definition": browsers, "asOfDay": null, "offset": 0, "limit": 1000 }),
    );
    assert_eq!(page["total"].as_u64().unwrap(), members);
    // At most 500 a page, whatever is asked.
    assert_eq!(
        page["people"].as_array().unwrap().len() as u64,
        members.min(500)
    );
    let sample = ok(
        &webview,
        "segment_sample",
        json!({ "definition": browsers, "asOfDay": null, "size": 5, "seed": 3 }),
    );
    assert_eq!(sample.as_array().unwrap().len() as u64, members.min(5));
    let again = ok(
        &webview,
        "segment_sample",
        json!({ "definition": browsers, "asOfDay": null, "size": 5, "seed": 3 }),
    );
    assert_eq!(sample, again, "the same seed draws the same people");
    let breakdowns = ok(
        &webview,
        "segment_breakdowns",
        json!({ "definition": browsers, "asOfDay": null }),
    );
    assert_eq!(breakdowns["members"].as_u64().unwrap(), members);

    // The arms as the screen checks them while they are edited.
    let check = ok(
        &webview,
        "audience_arms_check",
        json!({ "arms": [ { "name": "Holdout", "weight": 1, "is_control": true },
                          { "name": "Ads", "weight": 3, "is_control": false } ] }),
    );
    assert_eq!(check, json!({ "shares": [0.25, 0.75], "problem": null }));
    let check = ok(
        &webview,
        "audience_arms_check",
        json!({ "arms": [ { "name": "Ads", "weight": 1, "is_control": true },
                          { "name": "Ads", "weight": 1, "is_control": false } ] }),
    );
    assert_eq!(check["problem"], "arm names must differ");

    // An audience test split from the segment, its arms written as CSV.
    let start = rebound_core::time::as_of_day(count["as_of"].as_i64().unwrap());
    let request = json!({
        "name": "Browsers holdout", "subject": "segment", "subject_label": "Browsers",
        "arms": [ { "name": "Holdout", "weight": 1, "is_control": true },
                  { "name": "Ads", "weight": 1, "is_control": false } ],
        "seed": 9, "start": start.to_string(),
        "end": (start + chrono::Days::new(7)).to_string(),
        "outcome_event": "purchase", "currency": "USD", "pre_period_days": 0
    });
    let test_id = ok(
        &webview,
        "audience_test_create",
        json!({ "definition": browsers, "request": request }),
    );
    let arms = home.path().join("arms.csv");
    ok(
        &webview,
        "audience_test_export_arms",
        json!({ "id": test_id, "path": arms }),
    );
    let csv = std::fs::read_to_string(&arms).unwrap();
    assert_eq!(
        csv.lines().count() as u64,
        1 + members,
        "one row per person"
    );
    let detail = ok(
        &webview,
        "experiment_detail",
        json!({ "id": test_id, "theme": "light" }),
    );
    assert_eq!(detail["experiment"]["units"].as_u64().unwrap(), members);
    // Nobody at the start: the error names the day that has people.
    let mut early = request.clone();
    early["start"] = json!("2001-01-01");
    early["end"] = json!("2001-01-08");
    let err = call(
        &webview,
        "audience_test_create",
        json!({ "definition": browsers, "request": early }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "invalid_input");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .starts_with("Browsers has nobody in it at the end of 2001-01-01"),
        "{err}"
    );

    // Creatives: a sample's grid and one person's ad written as SVG.
    let template = ok(&webview, "creative_templates", json!({}))[0]["definition"].clone();
    let grid = ok(
        &webview,
        "creative_grid",
        json!({ "definition": template, "format": "meta_square", "segment": browsers, "size": 3, "seed": 1 }),
    );
    assert_eq!(grid["members"].as_u64().unwrap(), members);
    assert_eq!(
        grid["cells"].as_array().unwrap().len() as u64,
        members.min(3)
    );
    let person = grid["cells"][0]["person"]["id"].clone();
    let out = home.path().join("ad.svg");
    let written = ok(
        &webview,
        "creative_export",
        json!({ "definition": template, "format": "meta_square", "personId": person, "path": out }),
    );
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(written["kind"], "svg", "from the extension");
    assert_eq!(written["bytes"].as_u64().unwrap(), bytes.len() as u64);
    assert_eq!(written["preview"]["person"]["id"], person);
    assert_eq!(
        String::from_utf8(bytes).unwrap(),
        written["preview"]["ad"]["svg"].as_str().unwrap(),
        "the file is the ad previewed"
    );
    let png = home.path().join("ad.png");
    let written = ok(
        &webview,
        "creative_export",
        json!({ "definition": template, "format": "meta_square", "personId": person,
                "path": png, "kind": "png", "images": null, "asOfDay": null }),
    );
    assert_eq!(written["kind"], "png");
    assert_eq!(&std::fs::read(&png).unwrap()[..4], b"\x89PNG");
    drop(loaded);
}

/// One of the real exports in `../shared/data/exports`.
fn export_file(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/exports")
        .join(name)
}

/// Imports a file through IPC, as the Data screen does.
fn import(webview: &tauri::WebviewWindow<tauri::test::MockRuntime>, name: &str) -> Value {
    let path = export_file(name);
    let inspected = ok(webview, "import_inspect", json!({ "path": path }));
    let request = json!({ "path": path, "format": inspected["detection"]["format"],
                          "mapping": null, "save_mapping": false });
    ok(
        webview,
        "import_run",
        json!({ "request": request, "jobId": name, "onProgress": PROGRESS }),
    )
}

#[test]
fn imports_reports_split_tests_and_campaign_figures_through_ipc() {
    let home = tempfile::tempdir().unwrap();
    let (_app, webview) = app(home.path());
    ok(
        &webview,
        "workspace_create",
        json!({ "path": home.path().join("Own data") }),
    );

    // GA4's Events report: 21 event names, 137,560 events in all (the README's check values).
    let ga4 = import(&webview, "ga4_report_events_event_name.csv");
    assert_eq!(ga4["import"]["rows_imported"], json!(21));
    let reports = ok(&webview, "reports_list", json!({}));
    let report = &reports.as_array().unwrap()[0];
    assert_eq!(report["import_id"], ga4["import"]["id"]);
    assert_eq!(report["rows"], json!(21));
    let count_column = report["columns"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c["name"] == "Event count")
        .expect("an Event count column");
    assert_eq!(report["totals"][count_column], json!(137_560.0));
    let page = ok(
        &webview,
        "report_rows",
        json!({ "importId": report["import_id"], "section": report["section"], "offset": 0, "limit": 5 }),
    );
    assert_eq!(page["total"], json!(21));
    assert_eq!(page["rows"].as_array().unwrap().len(), 5);

    // Google Ads, all time: the 12 campaigns add up to Total: Campaigns.
    let ads = import(&webview, "google_ads_campaign_report_alltime_usd.csv");
    let rejected = ok(
        &webview,
        "import_rejections",
        json!({ "id": ads["import"]["id"], "offset": 0, "limit": 50 }),
    );
    assert_eq!(rejected["total"], ads["import"]["rows_rejected"]);
    let summaries = ok(&webview, "campaign_summaries", json!({}));
    let summaries = summaries.as_array().unwrap();
    assert_eq!(summaries.len(), 12);
    let impressions: i64 = summaries
        .iter()
        .map(|s| s["kpis"]["impressions"].as_i64().unwrap())
        .sum();
    assert_eq!(impressions, 14_117_313);
    let cost: i64 = summaries
        .iter()
        .map(|s| s["kpis"]["cost_minor"].as_i64().unwrap())
        .sum();
    assert_eq!(cost, 19_942_115);
    let imported = summaries[0].clone();
    let got = ok(&webview, "campaign_get", json!({ "id": imported["id"] }));
    assert_eq!(got["name"], imported["name"]);
    let options = ok(&webview, "campaign_wizard_options", json!({}));
    // The imported campaigns are offered for attaching, each once.
    assert_eq!(options["reports"].as_array().unwrap().len(), 12);

    // A planned campaign takes an imported one's figures, then lets them go.
    let draft = json!({
        "name": "Planned search", "goal": "retargeting", "segment_id": null,
        "channels": ["google_ads"], "creative_ids": [], "sequence_id": null,
        "messages_per_person": 1,
        "budget": { "kind": "daily", "amount_minor": 1000, "currency": "USD" },
        "starts_on": "2026-12-01", "ends_on": "2026-12-14", "status": "draft",
        "platform_campaign_id": null
    });
    let planned = ok(
        &webview,
        "campaign_save",
        json!({ "id": null, "draft": draft }),
    );
    let attached = ok(
        &webview,
        "campaign_attach",
        json!({ "campaignId": planned["id"], "sourceId": imported["id"] }),
    );
    assert_eq!(attached["id"], planned["id"]);
    let after = ok(&webview, "campaign_summaries", json!({}));
    let after = after.as_array().unwrap();
    assert_eq!(
        after.len(),
        12,
        "the attached report is not its own campaign"
    );
    let planned_row = after.iter().find(|s| s["id"] == planned["id"]).unwrap();
    assert_eq!(
        planned_row["kpis"]["impressions"],
        imported["kpis"]["impressions"]
    );
    ok(
        &webview,
        "campaign_detach",
        json!({ "sourceId": imported["id"] }),
    );
    assert_eq!(
        ok(&webview, "campaign_summaries", json!({}))
            .as_array()
            .unwrap()
            .len(),
        13
    );
    ok(&webview, "campaign_delete", json!({ "id": planned["id"] }));
    let err = call(&webview, "campaign_get", json!({ "id": planned["id"] })).unwrap_err();
    assert_eq!(err["code"], "not_found");

    // Undo takes the report's rows out again.
    let undone = ok(
        &webview,
        "import_undo",
        json!({ "id": ga4["import"]["id"] }),
    );
    assert_eq!(undone["status"], "undone");
    let imports = ok(&webview, "imports_list", json!({}));
    assert_eq!(imports.as_array().unwrap().len(), 2);
    assert!(ok(&webview, "reports_list", json!({}))
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["import_id"] != ga4["import"]["id"]));

    // Meta's A/B export reads as a split test by ad set.
    let meta = import(&webview, "meta_ads_manager_export_dirty_ab_test.csv");
    let split = ok(
        &webview,
        "split_test_options",
        json!({ "importId": meta["import"]["id"] }),
    );
    assert_eq!(split["import_id"], meta["import"]["id"]);
    let grouping = &split["groupings"][0];
    let metric_keys: Vec<&str> = split["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["key"].as_str().unwrap())
        .collect();
    assert!(
        metric_keys.contains(&"impressions") && metric_keys.contains(&"clicks"),
        "{metric_keys:?}"
    );
    let id = ok(
        &webview,
        "split_test_create",
        json!({ "request": { "import_id": meta["import"]["id"], "by": grouping["by"],
                             "trials": "impressions", "conversions": "clicks",
                             "control": null, "name": null } }),
    );
    let detail = ok(
        &webview,
        "experiment_detail",
        json!({ "id": id, "theme": "light" }),
    );
    let arms = grouping["arms"].as_array().unwrap();
    assert_eq!(
        detail["report"]["variants"].as_array().unwrap().len(),
        arms.len()
    );
    let at = metric_keys
        .iter()
        .position(|k| *k == "impressions")
        .unwrap();
    let trials: i64 = arms
        .iter()
        .map(|a| a["totals"][at].as_f64().unwrap() as i64)
        .sum();
    assert_eq!(
        trials as f64,
        split["metrics"][at]["total"].as_f64().unwrap()
    );
    let n: i64 = detail["report"]["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["n"].as_i64().unwrap())
        .sum();
    assert_eq!(n, trials, "every impression of every arm");
}

#[test]
fn demo_campaign_figures_and_sequences_through_ipc() {
    let home = tempfile::tempdir().unwrap();
    let (_app, webview) = app(home.path());
    let loaded = demo(&webview);
    let (first, last) = (
        loaded["demo"]["first_day"].clone(),
        loaded["demo"]["last_day"].clone(),
    );
    let ws = workspace_of(&loaded);

    let query = json!({ "from": first, "to": last, "lookback_days": 7 });
    let attribution = ok(&webview, "campaign_attribution", json!({ "query": query }));
    let domain = tauri::async_runtime::block_on(rebound_campaigns::attribution(
        &ws,
        &serde_json::from_value(query.clone()).unwrap(),
    ))
    .unwrap();
    assert_eq!(attribution, serde_json::to_value(&domain).unwrap());
    assert!(!domain.blocks.is_empty());

    let metrics = json!({ "from": first, "to": last, "by": "week", "campaign_id": null });
    let png = home.path().join("cost.png");
    ok(
        &webview,
        "campaign_chart_export",
        json!({ "query": metrics, "currency": "USD", "kpi": "cost", "path": png }),
    );
    assert_eq!(&std::fs::read(&png).unwrap()[..4], b"\x89PNG");

    // Sequences: people to preview, a dry run with its progress channel, delete.
    let people = ok(&webview, "sequence_people", json!({ "limit": 3 }));
    assert_eq!(people.as_array().unwrap().len(), 3);
    let flow = ok(&webview, "sequence_templates", json!({}))[0]["flow"].clone();
    let options = json!({ "from": first, "to": last, "seed": 4 });
    let run = ok(
        &webview,
        "sequence_dry_run",
        json!({ "flow": flow, "options": options, "jobId": "dry", "onProgress": PROGRESS }),
    );
    let csv = home.path().join("audience.csv");
    let rows = ok(
        &webview,
        "sequence_export_csv",
        json!({ "flow": flow, "options": options, "path": csv }),
    );
    assert_eq!(rows, run["entered"], "the export is the dry run's audience");
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap().lines().count() as u64,
        1 + rows.as_u64().unwrap()
    );
    let saved = ok(
        &webview,
        "sequence_save",
        json!({ "id": null, "flow": flow, "status": "draft" }),
    );
    ok(&webview, "sequence_delete", json!({ "id": saved["id"] }));
    assert!(ok(&webview, "sequences_list", json!({}))
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["id"] != saved["id"]));

    // SMTP settings live in the app's config folder; the password never comes back.
    let blank = ok(&webview, "smtp_settings", json!({}));
    assert_eq!(blank["password_set"], json!(false));
    let settings = json!({ "host": "127.0.0.1", "port": 9, "security": "none",
                           "username": "ann", "password": "secret", "password_set": false,
                           "from": "Ann <ann@example.com>", "to": "ann@example.com" });
    let stored = ok(
        &webview,
        "smtp_settings_save",
        json!({ "settings": settings }),
    );
    assert_eq!(stored["password_set"], json!(true));
    assert_eq!(stored.get("password"), None);
    assert!(home.path().join("config").join("smtp.json").is_file());
    assert_eq!(
        ok(&webview, "smtp_settings", json!({}))["host"],
        "127.0.0.1"
    );
    // Nothing listens on port 9: the test e-mail fails with the SMTP code.
    let email_step = flow["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["message"]["channel"] == "email")
        .expect("an e-mail step")["id"]
        .clone();
    let err = call(
        &webview,
        "sequence_send_test",
        json!({ "flow": flow, "stepId": email_step, "personId": people[0]["person_id"], "variant": 0 }),
    )
    .unwrap_err();
    assert_eq!(err["code"], "smtp", "{err}");
}

/// Every operation of `rebound-api` is driven through IPC by a test in this
/// file: a command added without one fails here.
#[test]
fn every_command_is_covered_through_the_mock_runtime() {
    let source = include_str!("app_commands.rs");
    let (operations, _) = rebound_api::typescript::operations();
    let missing: Vec<&str> = operations
        .iter()
        .map(|o| o.command)
        .filter(|name| {
            !source.contains(&format!("\"{name}\",")) && !source.contains(&format!("\"{name}\")"))
        })
        .collect();
    assert!(missing.is_empty(), "no mock-runtime test calls {missing:?}");
    assert_eq!(operations.len(), 87);
}
