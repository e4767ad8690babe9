//! The `rebound` command line, run as a process: every command's `--json`
//! output has the documented shape, and errors come out as `{ error: { code, message } }`.
//! (Built as a test of the rebound-cli package, which points here.)

#[path = "cli_support.rs"]
mod support;

use std::path::Path;
use std::process::Command;

use serde_json::Value;
use support::{keys, rebound, rebound_text};

#[test]
fn init_demo_info_round_trip() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("cli.rebound");
    let ws = ws.to_str().unwrap();

    let (ok, init) = rebound(home.path(), &["init", ws, "--json"]);
    assert!(ok, "{init}");
    assert_eq!(keys(&init), ["schema_version", "workspace"]);
    assert_eq!(keys(&init["workspace"]), ["name", "path"]);
    assert_eq!(init["workspace"]["name"], "cli");

    let (ok, demo) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "demo",
            "--people",
            "500",
            "--seed",
            "9",
            "--until",
            "2026-10-31",
            "--json",
        ],
    );
    assert!(ok, "{demo}");
    assert_eq!(keys(&demo), ["demo", "workspace"]);
    assert_eq!(
        keys(&demo["demo"]),
        [
            "campaigns",
            "consent_records",
            "currency",
            "devices",
            "elapsed_ms",
            "events",
            "first_day",
            "identities",
            "last_day",
            "orders",
            "people",
            "products",
            "revenue_minor",
            "seed",
            "sessions"
        ]
    );
    assert_eq!(demo["demo"]["people"], 500);
    assert_eq!(demo["demo"]["last_day"], "2026-10-31");
    assert_eq!(demo["demo"]["first_day"], "2026-08-03");

    let (ok, info) = rebound(home.path(), &["--workspace", ws, "info", "--json"]);
    assert!(ok, "{info}");
    assert_eq!(
        keys(&info),
        [
            "file_size_bytes",
            "name",
            "path",
            "schema_version",
            "tables"
        ]
    );
    let rows = |table: &str| {
        info["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["table"] == table)
            .unwrap_or_else(|| panic!("no {table}"))["rows"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(rows("people"), 500);
    assert_eq!(rows("events"), demo["demo"]["events"].as_i64().unwrap());
    assert_eq!(
        rows("campaigns"),
        demo["demo"]["campaigns"].as_i64().unwrap()
    );
    assert!(rows("consent") > 0);
}

#[test]
fn default_workspace_comes_from_rebound_home_and_env_overrides_it() {
    let home = tempfile::tempdir().unwrap();
    let (ok, init) = rebound(home.path(), &["init", "--json"]);
    assert!(ok, "{init}");
    let path = init["workspace"]["path"].as_str().unwrap();
    assert!(path.ends_with("data/Default.rebound"), "{path}");

    let elsewhere = home.path().join("env.rebound");
    let out = Command::new(env!("CARGO_BIN_EXE_rebound"))
        .args(["init", "--json"])
        .env("REBOUND_HOME", home.path())
        .env("REBOUND_WORKSPACE", &elsewhere)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(elsewhere.is_file());
}

#[test]
fn errors_are_json_with_a_code_and_a_failing_exit_status() {
    let home = tempfile::tempdir().unwrap();
    let missing = home.path().join("missing.rebound");
    let (ok, err) = rebound(
        home.path(),
        &["--workspace", missing.to_str().unwrap(), "info", "--json"],
    );
    assert!(!ok);
    assert_eq!(keys(&err), ["error"]);
    assert_eq!(err["error"]["code"], "workspace_not_found");
    assert!(err["error"]["message"]
        .as_str()
        .unwrap()
        .contains("missing.rebound"));

    let ws = home.path().join("full.rebound");
    let ws = ws.to_str().unwrap();
    assert!(
        rebound(
            home.path(),
            &["--workspace", ws, "demo", "--people", "50", "--json"]
        )
        .0
    );
    let (ok, err) = rebound(
        home.path(),
        &["--workspace", ws, "demo", "--people", "50", "--json"],
    );
    assert!(!ok);
    assert_eq!(err["error"]["code"], "workspace_not_empty");
    let (ok, replaced) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "demo",
            "--people",
            "60",
            "--replace",
            "--json",
        ],
    );
    assert!(ok, "{replaced}");
    assert_eq!(replaced["demo"]["people"], 60);

    let (ok, err) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "demo",
            "--people",
            "0",
            "--replace",
            "--json",
        ],
    );
    assert!(!ok);
    assert_eq!(err["error"]["code"], "invalid_input");
}

fn shared_exports() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../../shared/data/exports")
}

/// Imported with `--conversion retention_7`, cookie_cats is read by day-7
/// retention: gate_40 kept 8,279 of its 45,489 players (0.182000, as
/// `experiment analyze --converted retention_7` reads the same file).
#[test]
fn import_chooses_the_conversion_of_a_per_person_ab_file() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("cats.rebound");
    let ws = ws.to_str().unwrap();
    let file = shared_exports().join("cookie_cats.csv");
    let (ok, out) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "import",
            file.to_str().unwrap(),
            "--conversion",
            "retention_7",
            "--json",
        ],
    );
    assert!(ok, "{out}");
    let (ok, list) = rebound(
        home.path(),
        &["--workspace", ws, "experiment", "list", "--json"],
    );
    assert!(ok, "{list}");
    let id = list["experiments"][0]["id"].as_i64().unwrap().to_string();
    let (ok, shown) = rebound(
        home.path(),
        &["--workspace", ws, "experiment", "show", &id, "--json"],
    );
    assert!(ok, "{shown}");
    assert_eq!(shown["data"]["conversion_metric"], "retention_7");
    let treatment = &shown["report"]["variants"][1];
    assert_eq!(treatment["name"], "gate_40");
    assert_eq!(treatment["n"], 45489);
    assert!((treatment["rate"].as_f64().unwrap() - 0.182000).abs() < 1e-6);
}

/// The whole `--json` document and the text of `experiment analyze` on
/// cookie_cats, held by snapshots (`tests/snapshots/`): a change of shape,
/// figure or wording shows up in review as a diff.
#[test]
fn experiment_analyze_output_is_held_by_snapshots() {
    let home = tempfile::tempdir().unwrap();
    let file = shared_exports().join("cookie_cats.csv");
    let args = [
        "experiment",
        "analyze",
        file.to_str().unwrap(),
        "--converted",
        "retention_1",
    ];
    let mut json_args = args.to_vec();
    json_args.push("--json");
    let (ok, out) = rebound(home.path(), &json_args);
    assert!(ok, "{out}");
    insta::assert_json_snapshot!("analyze_cookie_cats_json", out, { ".file" => "[cookie_cats.csv]" });
    let (ok, text) = rebound_text(home.path(), &args);
    assert!(ok, "{text}");
    insta::assert_snapshot!("analyze_cookie_cats_text", text);
}

#[test]
fn experiment_analyze_reads_a_real_ab_file() {
    let home = tempfile::tempdir().unwrap();
    let file = shared_exports().join("cookie_cats.csv");
    let (ok, out) = rebound(
        home.path(),
        &[
            "experiment",
            "analyze",
            file.to_str().unwrap(),
            "--converted",
            "retention_7",
            "--value",
            "sum_gamerounds",
            "--json",
        ],
    );
    assert!(ok, "{out}");
    assert_eq!(keys(&out), ["columns", "file", "kind", "report", "rows"]);
    assert_eq!(out["kind"], "person_rows");
    assert_eq!(out["rows"], 90189);
    assert_eq!(out["columns"]["variant"], "version");
    let report = &out["report"];
    assert_eq!(report["control"], "gate_30");
    let treatment = &report["variants"][1];
    assert_eq!(treatment["name"], "gate_40");
    assert_eq!(treatment["n"], 45489);
    assert!((treatment["rate"].as_f64().unwrap() - 0.182000).abs() < 1e-6);
    let conversion = &treatment["conversion"];
    for key in [
        "relative_lift",
        "relative_interval",
        "p_value",
        "p_value_holm",
        "p_value_bh",
        "chance_to_beat_control",
        "expected_loss",
    ] {
        assert!(!conversion[key].is_null(), "{key} is missing");
    }
    assert!(conversion["p_value"].as_f64().unwrap() < 0.01);
    assert_eq!(report["srm"]["flagged"], false);
    assert!(report["verdict"]["headline"]
        .as_str()
        .unwrap()
        .contains("gate_30"));

    let broken = home.path().join("broken.csv");
    std::fs::write(&broken, "variant,converted\nA,TRUE\nB,yes?\n").unwrap();
    let (ok, err) = rebound(
        home.path(),
        &["experiment", "analyze", broken.to_str().unwrap(), "--json"],
    );
    assert!(!ok);
    assert_eq!(err["error"]["code"], "bad_row");
    let message = err["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("line 3") && message.contains("yes?"),
        "{message}"
    );
}

#[test]
fn experiment_list_show_and_plan_on_a_demo_workspace() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("exp.rebound");
    let ws = ws.to_str().unwrap();
    assert!(
        rebound(
            home.path(),
            &[
                "--workspace",
                ws,
                "demo",
                "--people",
                "2000",
                "--until",
                "2026-10-31",
                "--json"
            ]
        )
        .0
    );

    let (ok, list) = rebound(
        home.path(),
        &["--workspace", ws, "experiment", "list", "--json"],
    );
    assert!(ok, "{list}");
    let item = &list["experiments"][0];
    assert_eq!(
        keys(item),
        [
            "currency",
            "ended_on",
            "hypothesis",
            "id",
            "metric",
            "name",
            "started_on",
            "status",
            "unit_label",
            "units",
            "variants"
        ]
    );
    assert_eq!(item["name"], "Cart e-mail subject line");
    assert_eq!(item["unit_label"], "people");
    assert_eq!(item["currency"], "USD");

    let id = item["id"].as_i64().unwrap().to_string();
    let (ok, show) = rebound(
        home.path(),
        &["--workspace", ws, "experiment", "show", &id, "--json"],
    );
    assert!(ok, "{show}");
    assert_eq!(keys(&show), ["data", "experiment", "report"]);
    let people: i64 = show["report"]["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["n"].as_i64().unwrap())
        .sum();
    assert_eq!(people, item["units"].as_i64().unwrap());

    let (ok, plan) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "experiment",
            "plan",
            "--mde",
            "0.1",
            "--json",
        ],
    );
    assert!(ok, "{plan}");
    assert_eq!(
        keys(&plan),
        ["baseline_rate", "daily_traffic", "plan", "source"]
    );
    assert!(plan["plan"]["sample"]["n_per_variant"].as_u64().unwrap() > 100);
    assert!(plan["source"]
        .as_str()
        .unwrap()
        .contains("From this workspace"));

    let (ok, plan) = rebound(
        home.path(),
        &[
            "experiment",
            "plan",
            "--mde",
            "0.1",
            "--baseline-rate",
            "0.05",
            "--daily-traffic",
            "1000",
            "--json",
        ],
    );
    assert!(ok, "{plan}");
    assert_eq!(plan["source"], Value::Null);
    assert_eq!(
        plan["plan"]["sample"]["days"].as_u64().unwrap(),
        plan["plan"]["sample"]["total"]
            .as_u64()
            .unwrap()
            .div_ceil(1000)
    );
}

#[test]
fn segment_commands_count_page_and_save() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("seg.rebound");
    let ws = ws.to_str().unwrap();
    assert!(
        rebound(
            home.path(),
            &[
                "--workspace",
                ws,
                "demo",
                "--people",
                "1500",
                "--until",
                "2026-10-31",
                "--json"
            ]
        )
        .0
    );

    let (ok, list) = rebound(
        home.path(),
        &["--workspace", ws, "segment", "list", "--json"],
    );
    assert!(ok, "{list}");
    assert_eq!(keys(&list), ["saved", "templates"]);
    assert!(list["templates"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["key"] == "cart_abandoners"));

    let as_of = ["--as-of", "2026-10-31"];
    let (ok, count) = rebound(
        home.path(),
        &[
            &[
                "--workspace",
                ws,
                "segment",
                "count",
                "lapsed_customers",
                "--json",
            ][..],
            &as_of,
        ]
        .concat(),
    );
    assert!(ok, "{count}");
    assert_eq!(keys(&count), ["count", "segment"]);
    let c = &count["count"];
    assert_eq!(c["consent_channel"], "email");
    assert_eq!(
        c["members"].as_u64().unwrap() + c["without_consent"].as_u64().unwrap(),
        c["matched"].as_u64().unwrap(),
        "remarketing leaves out people without e-mail consent and says how many"
    );

    let (ok, page) = rebound(
        home.path(),
        &[
            &[
                "--workspace",
                ws,
                "segment",
                "members",
                "cart_abandoners",
                "--limit",
                "3",
                "--json",
            ][..],
            &as_of,
        ]
        .concat(),
    );
    assert!(ok, "{page}");
    assert_eq!(keys(&page), ["page", "segment"]);
    assert!(page["page"]["people"].as_array().unwrap().len() <= 3);

    let definition = home.path().join("def.json");
    let (ok, shown) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "segment",
            "show",
            "cart_abandoners",
            "--json",
        ],
    );
    assert!(ok, "{shown}");
    let mut renamed = shown.clone();
    renamed["name"] = Value::from("Spring cart abandoners");
    std::fs::write(&definition, renamed.to_string()).unwrap();
    let (ok, saved) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "segment",
            "save",
            "--file",
            definition.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(ok, "{saved}");
    assert_eq!(
        saved["saved"]["definition"]["name"],
        "Spring cart abandoners"
    );
    // Saving the same name again is the code the app gets for it too.
    let save = [
        "--workspace",
        ws,
        "segment",
        "save",
        "--file",
        definition.to_str().unwrap(),
        "--json",
    ];
    let (ok, clash) = rebound(home.path(), &save);
    assert!(!ok);
    assert_eq!(clash["error"]["code"], "already_exists");
    assert!(
        clash["error"]["message"]
            .as_str()
            .unwrap()
            .contains("Spring cart abandoners"),
        "{clash}"
    );
    let (ok, again) = rebound(
        home.path(),
        &[
            &[
                "--workspace",
                ws,
                "segment",
                "count",
                "Spring cart abandoners",
                "--json",
            ][..],
            &as_of,
        ]
        .concat(),
    );
    assert!(ok, "{again}");
    let (_, template) = rebound(
        home.path(),
        &[
            &[
                "--workspace",
                ws,
                "segment",
                "count",
                "cart_abandoners",
                "--json",
            ][..],
            &as_of,
        ]
        .concat(),
    );
    assert_eq!(again["count"]["members"], template["count"]["members"]);

    let (ok, err) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "segment",
            "count",
            "no_such_thing",
            "--json",
        ],
    );
    assert!(!ok);
    assert_eq!(err["error"]["code"], "invalid_input");
}

#[test]
fn import_reports_each_file_and_recognises_a_repeat() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("imports.rebound");
    let ws = ws.to_str().unwrap();
    let ads = shared_exports().join("google_ads_campaign_report_alltime_usd.csv");
    let rees = shared_exports().join("rees46_2019-Oct_head_sample.csv");
    let (ok, out) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "import",
            ads.to_str().unwrap(),
            rees.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(ok, "{out}");
    assert_eq!(keys(&out), ["imports"]);
    let imports = out["imports"].as_array().unwrap();
    assert_eq!(imports.len(), 2);
    assert_eq!(
        keys(&imports[0]),
        ["already_imported", "elapsed_ms", "import", "rejections"]
    );
    assert_eq!(
        keys(&imports[0]["import"]),
        [
            "byte_size",
            "content_hash",
            "file_name",
            "finished_at",
            "format",
            "format_label",
            "id",
            "note",
            "path",
            "period",
            "rows_imported",
            "rows_not_data",
            "rows_read",
            "rows_rejected",
            "started_at",
            "status",
            "stored",
            "title"
        ]
    );
    assert_eq!(imports[0]["import"]["format"], "google_ads_report");
    assert_eq!(imports[0]["import"]["rows_imported"], 12);
    let rees46 = &imports[1];
    assert_eq!(rees46["import"]["rows_read"], 17_435);
    assert_eq!(rees46["import"]["rows_rejected"], 1);
    assert_eq!(
        keys(&rees46["rejections"][0]),
        ["column", "line", "reason", "value"]
    );
    assert_eq!(rees46["rejections"][0]["line"], 17_436);

    let (ok, again) = rebound(
        home.path(),
        &["--workspace", ws, "import", ads.to_str().unwrap(), "--json"],
    );
    assert!(ok, "{again}");
    assert_eq!(again["imports"][0]["already_imported"], true);

    let (ok, list) = rebound(
        home.path(),
        &["--workspace", ws, "imports", "list", "--json"],
    );
    assert!(ok, "{list}");
    assert_eq!(list["imports"].as_array().unwrap().len(), 2);
    let id = rees46["import"]["id"].as_i64().unwrap().to_string();
    let (ok, page) = rebound(
        home.path(),
        &["--workspace", ws, "imports", "rejections", &id, "--json"],
    );
    assert!(ok, "{page}");
    assert_eq!(keys(&page), ["listed", "rows", "total"]);
    let (ok, undone) = rebound(
        home.path(),
        &["--workspace", ws, "imports", "undo", &id, "--json"],
    );
    assert!(ok, "{undone}");
    assert_eq!(undone["import"]["status"], "undone");
    let (_, info) = rebound(home.path(), &["--workspace", ws, "info", "--json"]);
    let events = info["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == "events")
        .unwrap();
    assert_eq!(events["rows"], 0);

    let (ok, err) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "import",
            rees.to_str().unwrap(),
            "--format",
            "google_ads_report",
            "--json",
        ],
    );
    assert!(!ok);
    assert_eq!(err["error"]["code"], "wrong_format");
    let (ok, err) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "import",
            rees.to_str().unwrap(),
            "--format",
            "nonsense",
            "--json",
        ],
    );
    assert!(!ok);
    assert_eq!(err["error"]["code"], "invalid_input");
    assert!(err["error"]["message"]
        .as_str()
        .unwrap()
        .contains("rees46_events"));
}

/// kill -9 in the middle of an import leaves the workspace as it was.
#[test]
fn an_import_killed_midway_leaves_nothing_behind() {
    use std::io::{BufRead, BufReader, Write};
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("killed.rebound");
    let file = home.path().join("big.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file).unwrap());
    writeln!(out, "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session").unwrap();
    for i in 0..400_000 {
        writeln!(
            out,
            "2019-10-01 00:{:02}:{:02} UTC,view,{},1,,acme,1.00,{},s{}",
            (i / 60) % 60,
            i % 60,
            i % 900,
            i % 50_000,
            i % 9000
        )
        .unwrap();
    }
    out.flush().unwrap();
    drop(out);
    let (ok, _) = rebound(home.path(), &["init", ws.to_str().unwrap(), "--json"]);
    assert!(ok);
    let before = rebound(
        home.path(),
        &["--workspace", ws.to_str().unwrap(), "info", "--json"],
    )
    .1["tables"]
        .clone();

    let mut child = Command::new(env!("CARGO_BIN_EXE_rebound"))
        .args([
            "--workspace",
            ws.to_str().unwrap(),
            "import",
            file.to_str().unwrap(),
            "--json",
        ])
        .env("REBOUND_HOME", home.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until rows are being written, then kill it without warning.
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut saw_rows = false;
    for line in stderr.lines() {
        let line = line.unwrap();
        let v: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}"));
        if v["progress"]["done"].as_u64().unwrap_or(0) > 0 {
            saw_rows = true;
            break;
        }
    }
    assert!(saw_rows, "the import reported rows before it ended");
    child.kill().unwrap();
    child.wait().unwrap();

    let (ok, after) = rebound(
        home.path(),
        &["--workspace", ws.to_str().unwrap(), "info", "--json"],
    );
    assert!(ok, "{after}");
    assert_eq!(
        after["tables"], before,
        "nothing of the killed import is in the workspace"
    );
    let (ok, list) = rebound(
        home.path(),
        &[
            "--workspace",
            ws.to_str().unwrap(),
            "imports",
            "list",
            "--json",
        ],
    );
    assert!(ok);
    assert_eq!(list["imports"].as_array().unwrap().len(), 0);
}

#[test]
fn a_meta_split_test_export_is_analysed_as_an_experiment() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("split.rebound");
    let ws = ws.to_str().unwrap();
    let meta = shared_exports().join("meta_ads_manager_export_dirty_ab_test.csv");
    let (ok, out) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "import",
            meta.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(ok, "{out}");
    let id = out["imports"][0]["import"]["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let (ok, options) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "experiment",
            "from-import",
            &id,
            "--json",
        ],
    );
    assert!(ok, "{options}");
    assert_eq!(
        keys(&options["options"]),
        ["file_name", "groupings", "import_id", "metrics"]
    );
    assert_eq!(options["options"]["groupings"][0]["by"], "ad_set");
    assert_eq!(
        options["options"]["groupings"][0]["arms"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    let (ok, exp) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "experiment",
            "from-import",
            &id,
            "--trials",
            "impressions",
            "--conversions",
            "clicks",
            "--json",
        ],
    );
    assert!(ok, "{exp}");
    assert_eq!(keys(&exp), ["data", "experiment", "report"]);
    assert_eq!(exp["report"]["variants"].as_array().unwrap().len(), 4);
    let (ok, err) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "experiment",
            "from-import",
            &id,
            "--by",
            "keyword",
            "--json",
        ],
    );
    assert!(!ok);
    assert_eq!(err["error"]["code"], "invalid_input");
}

/// On the REES46 log (events on 1 Oct 2019), a test starting on 2 Oct takes
/// the segment's people at the same moment `segment count --as-of 2019-10-02`
/// counts them; without `--start`, the default is the end of the data, and a
/// zero there names the day that has people.
#[test]
fn an_audience_test_starts_at_the_moment_the_segment_counts_as_of() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("own.rebound");
    let ws = ws.to_str().unwrap();
    let rees = shared_exports().join("rees46_2019-Oct_head_sample.csv");
    let (ok, out) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "import",
            rees.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(ok, "{out}");
    let (ok, counted) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "segment",
            "count",
            "cart_abandoners",
            "--as-of",
            "2019-10-02",
            "--json",
        ],
    );
    assert!(ok, "{counted}");
    let members = counted["count"]["members"].as_u64().unwrap();
    assert_eq!(members, 53);
    let test = |extra: &[&str]| {
        let args = [
            &[
                "--workspace",
                ws,
                "experiment",
                "from-segment",
                "cart_abandoners",
                "--json",
            ][..],
            extra,
        ]
        .concat();
        rebound(home.path(), &args)
    };
    let (ok, out) = test(&["--start", "2019-10-02"]);
    assert!(ok, "{out}");
    assert_eq!(out["experiment"]["units"], members);
    assert!(
        out["experiment"]["hypothesis"]
            .as_str()
            .unwrap()
            .contains("on 2019-10-02; a conversion is a purchase by 2019-10-16"),
        "{out}"
    );
    let (ok, err) = test(&[]);
    assert!(!ok);
    assert_eq!(err["error"]["code"], "invalid_input");
    assert_eq!(
        err["error"]["message"],
        "Cart abandoners has nobody in it at the end of 2019-10-01; 53 at the end of 2019-10-02 — start the test on 2019-10-02"
    );
}

#[test]
fn a_segment_holdout_is_split_stored_analysed_and_its_arms_exported() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("holdout.rebound");
    let ws = ws.to_str().unwrap();
    let demo = [
        "--workspace",
        ws,
        "demo",
        "--people",
        "3000",
        "--until",
        "2026-10-31",
        "--json",
    ];
    assert!(rebound(home.path(), &demo).0);
    let arms = home.path().join("arms.csv");
    // `experiment from-segment` on one segment and dates; each run adds its options.
    let prefix = [
        "--workspace",
        ws,
        "experiment",
        "from-segment",
        "product_viewers_without_purchase",
        "--start",
        "2026-10-05",
        "--end",
        "2026-10-31",
    ];
    let args = [
        &prefix[..],
        &[
            "--arms",
            "Holdout:20,Retargeted:80",
            "--seed",
            "3",
            "--arms-csv",
            arms.to_str().unwrap(),
            "--json",
        ],
    ]
    .concat();
    let (ok, out) = rebound(home.path(), &args);
    assert!(ok, "{out}");
    assert_eq!(keys(&out), ["data", "experiment", "report"]);
    let experiment = &out["experiment"];
    assert_eq!(
        experiment["name"],
        "Product viewers without purchase (7 days) holdout"
    );
    assert_eq!(experiment["status"], "finished");
    assert_eq!(experiment["variants"], 2);
    let units = experiment["units"].as_u64().unwrap();
    assert!(units > 50, "{units} people");
    let variants = out["report"]["variants"].as_array().unwrap();
    assert_eq!(variants[0]["name"], "Holdout");
    assert_eq!(variants[0]["is_control"], true);
    let shares = out["report"]["srm"]["expected_shares"].as_array().unwrap();
    assert_eq!(shares, &[serde_json::json!(0.2), serde_json::json!(0.8)]);
    let csv = std::fs::read_to_string(&arms).unwrap();
    assert!(csv.starts_with("person_id,arm,email_sha256\n"));
    assert_eq!(csv.lines().count() as u64, units + 1);

    // The same seed puts the same people in the same arms.
    let again = home.path().join("again.csv");
    let mut repeat = args.clone();
    let at = repeat.len() - 2;
    repeat[at] = again.to_str().unwrap();
    assert!(rebound(home.path(), &repeat).0);
    assert_eq!(std::fs::read_to_string(&again).unwrap(), csv);

    let (ok, err) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "experiment",
            "from-segment",
            "recent_purchasers",
            "--start",
            "2026-10-05",
            "--end",
            "2026-10-31",
            "--arms",
            "A:50",
            "--json",
        ],
    );
    assert!(!ok);
    assert_eq!(err["error"]["code"], "invalid_input");
    assert!(err["error"]["message"]
        .as_str()
        .unwrap()
        .contains("2 to 10 arms"));

    // Versions of a flow's split step are split as the dry run splits them.
    let split_csv = home.path().join("split.csv");
    let split_csv_path = split_csv.to_str().unwrap();
    let split_args = |split: &'static str, subject: &'static str| {
        [
            &prefix[..],
            &[
                "--arms",
                "Short:75,Long:25",
                "--subject",
                subject,
                "--split",
                split,
                "--seed",
                "42",
                "--arms-csv",
                split_csv_path,
                "--json",
            ],
        ]
        .concat()
    };
    let (ok, out) = rebound(
        home.path(),
        &split_args("Cart rescue/split-1", "sequence_step"),
    );
    assert!(ok, "{out}");
    assert!(out["experiment"]["hypothesis"]
        .as_str()
        .unwrap()
        .contains("as the dry run of Cart rescue splits at split-1"));
    let split = std::fs::read_to_string(&split_csv).unwrap();
    let mut rows = 0;
    for line in split.lines().skip(1) {
        let mut cells = line.split(',');
        let person: i64 = cells.next().unwrap().parse().unwrap();
        let arm = cells.next().unwrap();
        let expected =
            rebound_core::random::split_arm(42, "Cart rescue", "split-1", person, [75, 25]);
        assert_eq!(arm, ["Short", "Long"][expected], "person {person}");
        rows += 1;
    }
    assert_eq!(rows as u64, units);
    for (split, subject, says) in [
        ("Cart rescue", "sequence_step", "is not FLOW/STEP"),
        (
            "Cart rescue/split-1",
            "segment",
            "only a test of a sequence step",
        ),
    ] {
        let (ok, err) = rebound(home.path(), &split_args(split, subject));
        assert!(!ok);
        assert_eq!(err["error"]["code"], "invalid_input");
        assert!(
            err["error"]["message"].as_str().unwrap().contains(says),
            "{err}"
        );
    }
}
