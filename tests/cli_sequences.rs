//! `rebound sequence …` run as a process: the `--json` shapes documented in
//! the CLI README, a dry run of the seed's journey from a flow file, the
//! audience CSV, and errors that name the file, line and column.
//! (Built as a test of the rebound-cli package, which points here.)

#[path = "cli_support.rs"]
mod support;

use support::{keys, rebound};

#[test]
fn simulate_a_flow_file_and_export_its_audience() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("seq.rebound");
    let ws = ws.to_str().unwrap();
    let (ok, demo) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "demo",
            "--people",
            "1500",
            "--until",
            "2026-11-20",
            "--json",
        ],
    );
    assert!(ok, "{demo}");

    let (ok, list) = rebound(
        home.path(),
        &["--workspace", ws, "sequence", "list", "--json"],
    );
    assert!(ok, "{list}");
    assert_eq!(keys(&list), ["saved", "templates"]);
    assert_eq!(list["templates"][0]["key"], "pricing_page_journey");

    // `show` prints the export file; saved to disk, it is a FLOW.json.
    let (ok, shown) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "sequence",
            "show",
            "pricing_page_journey",
            "--json",
        ],
    );
    assert!(ok, "{shown}");
    assert_eq!(keys(&shown), ["flow", "format", "version"]);
    let file = home.path().join("journey.json");
    std::fs::write(&file, shown.to_string()).unwrap();
    let file = file.to_str().unwrap();

    let args = |extra: &[&'static str]| {
        let mut a = vec![
            "--workspace",
            ws,
            "sequence",
            "simulate",
            file,
            "--from",
            "2026-10-21",
            "--to",
            "2026-11-20",
        ];
        a.extend_from_slice(extra);
        a
    };
    let (ok, out) = rebound(home.path(), &args(&["--json"]));
    assert!(ok, "{out}");
    let run = &out["dry_run"];
    assert_eq!(
        keys(run),
        [
            "arms",
            "collisions",
            "collisions_total",
            "completed",
            "conversions",
            "deliveries",
            "deliveries_total",
            "elapsed_ms",
            "entered",
            "exited",
            "flow",
            "from",
            "holds",
            "holds_total",
            "notes",
            "other_flows",
            "seed",
            "steps",
            "still_in_flow",
            "to"
        ]
    );
    assert_eq!(run["flow"], "Pricing page journey");
    let entered = run["entered"].as_u64().unwrap();
    assert!(entered > 0);
    assert_eq!(run["steps"][0]["step_id"], "offer-ad");
    assert_eq!(run["steps"][0]["reached"].as_u64().unwrap(), entered);
    assert_eq!(
        keys(&run["steps"][0]),
        [
            "arms",
            "capped",
            "depth",
            "held",
            "kind",
            "label",
            "no",
            "no_consent",
            "reached",
            "sent",
            "step_id",
            "yes"
        ]
    );
    assert_eq!(
        keys(&run["conversions"]),
        ["goal", "observed", "projected", "rates", "within_days"]
    );
    let d = &run["deliveries"][0];
    // `due_at` is there only when the message was held.
    assert_eq!(
        keys(d),
        [
            "at",
            "channel",
            "detail",
            "local_time",
            "person_id",
            "step_id"
        ]
    );

    // The same seed gives the same run; a person's timeline is included on request.
    let person = d["person_id"].as_i64().unwrap().to_string();
    let person: &'static str = Box::leak(person.into_boxed_str());
    let (ok, again) = rebound(home.path(), &args(&["--person", person, "--json"]));
    assert!(ok, "{again}");
    assert_eq!(again["dry_run"]["steps"], run["steps"]);
    let journey = &again["dry_run"]["person"];
    assert_eq!(
        keys(journey),
        ["entered", "entries", "person_id", "time_zone"]
    );
    assert_eq!(journey["entered"], true);

    let csv = home.path().join("audience.csv");
    let csv_s: &'static str = Box::leak(csv.to_str().unwrap().to_string().into_boxed_str());
    let mut a = vec![
        "--workspace",
        ws,
        "sequence",
        "audience",
        file,
        "--from",
        "2026-10-21",
        "--to",
        "2026-11-20",
    ];
    a.extend_from_slice(&["--out", csv_s, "--json"]);
    let (ok, exported) = rebound(home.path(), &a);
    assert!(ok, "{exported}");
    assert_eq!(keys(&exported), ["columns", "flow", "path", "rows"]);
    assert_eq!(exported["rows"].as_u64().unwrap(), entered);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(text.lines().count() as u64, entered + 1);
    assert!(text.starts_with("person_id,customer_id,email_sha256,first_name"));
}

#[test]
fn bad_flow_files_and_periods_are_clear_errors() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("e.rebound");
    let ws = ws.to_str().unwrap();
    let (ok, _) = rebound(home.path(), &["init", ws, "--json"]);
    assert!(ok);
    let bad = home.path().join("bad.json");
    std::fs::write(
        &bad,
        "{\n  \"version\": 1,\n  \"name\": \"x\",\n  \"trigger\": {\"type\": \"sometimes\"}\n}",
    )
    .unwrap();
    let (ok, err) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "sequence",
            "simulate",
            bad.to_str().unwrap(),
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-31",
            "--json",
        ],
    );
    assert!(!ok);
    assert_eq!(err["error"]["code"], "invalid_flow_file");
    let message = err["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("bad.json") && message.contains("line 4") && message.contains("sometimes"),
        "{message}"
    );

    let (ok, err) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "sequence",
            "simulate",
            "abandoned_cart",
            "--from",
            "2026-02-01",
            "--to",
            "2026-01-01",
            "--json",
        ],
    );
    assert!(!ok);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("after the last"),
        "{err}"
    );
}
