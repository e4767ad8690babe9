//! `rebound metrics` and `rebound campaign …` as a process: the documented
//! `--json` shapes, totals equal to the real report's totals row, and errors
//! as `{ error: { code, message } }`. (A test of the rebound-cli package.)

#[path = "cli_support.rs"]
mod support;

use std::path::PathBuf;

use support::{keys, rebound, rebound_text};

fn export(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../../shared/data/exports")
        .join(name)
        .display()
        .to_string()
}

#[test]
fn metrics_of_an_imported_report_equal_its_totals_row() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("m.rebound");
    let ws = ws.to_str().unwrap();
    let (ok, v) = rebound(home.path(), &["init", ws, "--json"]);
    assert!(ok, "{v}");
    let file = export("google_ads_campaign_report_gbp_utf8.csv");
    let (ok, v) = rebound(home.path(), &["--workspace", ws, "import", &file, "--json"]);
    assert!(ok, "{v}");

    let (ok, m) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "metrics",
            "--from",
            "2026-01-27",
            "--to",
            "2026-02-23",
            "--by",
            "campaign",
            "--json",
        ],
    );
    assert!(ok, "{m}");
    assert_eq!(
        keys(&m),
        [
            "blocks",
            "by",
            "campaign_id",
            "from",
            "mixed_currencies",
            "previous_from",
            "previous_to",
            "to",
            "undated",
            "warnings"
        ]
    );
    assert_eq!(m["by"], "campaign");
    assert_eq!(m["previous_from"], "2025-12-30");
    let block = &m["blocks"][0];
    assert_eq!(
        keys(block),
        ["currency", "deltas", "previous", "rows", "totals"]
    );
    assert_eq!(block["currency"], "GBP");
    // Total: Campaigns in the file: 40,585 impressions, 867 clicks, 74 conversions.
    assert_eq!(block["totals"]["impressions"], 40_585);
    assert_eq!(block["totals"]["clicks"], 867);
    assert_eq!(block["totals"]["conversions"], 74.0);
    assert_eq!(block["rows"].as_array().unwrap().len(), 2);
    assert_eq!(keys(&block["rows"][0]), ["key", "kpis", "label"]);
    let d = &block["deltas"][0];
    assert_eq!(
        keys(d),
        ["absolute", "current", "kpi", "previous", "relative"]
    );
    assert_eq!(d["kpi"], "impressions");
    assert!(
        d["relative"].is_null(),
        "nothing before: no relative change"
    );

    // One campaign by name.
    let (ok, one) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "metrics",
            "--campaign",
            "Office Fruit Campaign",
            "--from",
            "2026-01-27",
            "--to",
            "2026-02-23",
            "--by",
            "channel",
            "--json",
        ],
    );
    assert!(ok, "{one}");
    assert_eq!(one["blocks"][0]["totals"]["clicks"], 264);
    assert_eq!(one["blocks"][0]["rows"][0]["key"], "google_ads");

    let (ok, list) = rebound(
        home.path(),
        &["--workspace", ws, "campaign", "list", "--json"],
    );
    assert!(ok, "{list}");
    assert_eq!(list["campaigns"].as_array().unwrap().len(), 2);
    assert_eq!(list["campaigns"][0]["origin"], "imported");

    // Errors: a bad range, an unknown campaign.
    let (ok, e) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "metrics",
            "--from",
            "2026-02-23",
            "--to",
            "2026-01-27",
            "--json",
        ],
    );
    assert!(!ok);
    assert_eq!(e["error"]["code"], "invalid_input");
    assert_eq!(
        e["error"]["message"],
        "the to date 2026-01-27 is before the from date 2026-02-23"
    );
    let (ok, e) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "metrics",
            "--campaign",
            "Nope",
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-02",
            "--json",
        ],
    );
    assert!(!ok);
    assert_eq!(e["error"]["code"], "not_found");
    assert_eq!(e["error"]["message"], "no campaign named 'Nope'");
}

/// A Google Ads campaign report in `currency`, shaped as the real GBP export
/// (title, period, header, rows, totals), with amounts in whole units as
/// Google Ads writes yen and won.
fn zero_decimal_report(
    dir: &std::path::Path,
    currency: &str,
    rows: &[(&str, i64, i64, i64)],
) -> String {
    let mut text = String::from(
        "Campaign report\n1 February 2026 - 28 February 2026\n\
         Campaign status,Campaign,Budget,Budget name,Budget type,Currency code,Status,Clicks,Impr.,Cost,Conversions,Conv. value\n",
    );
    for (name, clicks, cost, value) in rows {
        text.push_str(&format!(
            "Enabled,{name},5000, --,Daily,{currency},Eligible,{clicks},\"{impressions}\",\"{cost}\",3.00,\"{value}\"\n",
            impressions = clicks * 40,
            cost = group(*cost),
            value = group(*value),
        ));
    }
    let path = dir.join(format!(
        "google_ads_campaign_report_{}.csv",
        currency.to_lowercase()
    ));
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn group(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Yen and won have no minor unit: a report's ¥151,787 is 151787 in the
/// workspace and in `rebound metrics`, never 1,517.87 (a hundredth) or 100x.
#[test]
fn yen_and_won_reports_keep_their_whole_units() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("jp.rebound");
    let ws = ws.to_str().unwrap();
    let (ok, v) = rebound(home.path(), &["init", ws, "--json"]);
    assert!(ok, "{v}");
    let jpy = zero_decimal_report(
        home.path(),
        "JPY",
        &[
            ("Tokyo Search", 603, 151_787, 244_450),
            ("Osaka Display", 120, 9_800, 0),
        ],
    );
    let krw = zero_decimal_report(
        home.path(),
        "KRW",
        &[("Seoul Search", 410, 1_234_500, 2_469_000)],
    );
    for file in [&jpy, &krw] {
        let (ok, v) = rebound(home.path(), &["--workspace", ws, "import", file, "--json"]);
        assert!(ok, "{v}");
    }
    let range = ["--from", "2026-02-01", "--to", "2026-02-28"];
    let mut args = vec!["--workspace", ws, "metrics"];
    args.extend(range);
    args.push("--json");
    let (ok, m) = rebound(home.path(), &args);
    assert!(ok, "{m}");
    let block = |code: &str| {
        m["blocks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["currency"] == code)
            .unwrap_or_else(|| panic!("a {code} block in {m}"))
            .clone()
    };
    let yen = block("JPY");
    assert_eq!(yen["totals"]["cost_minor"], 151_787 + 9_800);
    assert_eq!(yen["totals"]["revenue_minor"], 244_450);
    assert_eq!(yen["totals"]["clicks"], 723);
    let won = block("KRW");
    assert_eq!(won["totals"]["cost_minor"], 1_234_500);
    assert_eq!(won["totals"]["revenue_minor"], 2_469_000);
    assert_eq!(m["mixed_currencies"], true);

    // The table says the same amounts, in whole yen and won.
    let mut args = vec!["--workspace", ws, "metrics"];
    args.extend(range);
    let (ok, text) = rebound_text(home.path(), &args);
    assert!(ok, "{text}");
    assert!(text.contains("161587"), "{text}");
    assert!(text.contains("1234500"), "{text}");
    assert!(
        !text.contains("1615.87") && !text.contains("12345.00"),
        "{text}"
    );
}

#[test]
fn attribution_and_over_messaging_on_the_demo() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("d.rebound");
    let ws = ws.to_str().unwrap();
    let (ok, v) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "demo",
            "--people",
            "400",
            "--seed",
            "3",
            "--until",
            "2026-10-31",
            "--json",
        ],
    );
    assert!(ok, "{v}");
    let (ok, a) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "campaign",
            "attribution",
            "--from",
            "2026-08-01",
            "--to",
            "2026-10-31",
            "--json",
        ],
    );
    assert!(ok, "{a}");
    assert_eq!(
        keys(&a),
        ["blocks", "from", "lookback_days", "to", "touch_events"]
    );
    let b = &a["blocks"][0];
    assert_eq!(
        keys(b),
        [
            "conversions",
            "currency",
            "revenue_minor",
            "rows",
            "touched"
        ]
    );
    assert_eq!(
        keys(&b["rows"][0]),
        [
            "campaign",
            "campaign_id",
            "first_touch",
            "last_touch",
            "linear",
            "position_based"
        ]
    );
    let total: f64 = b["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["position_based"]["conversions"].as_f64().unwrap())
        .sum();
    assert!((total - b["conversions"].as_f64().unwrap()).abs() < 1e-6);

    // `campaign over-messaging` over August to October, with `extra` options.
    let over_messaging = |extra: &[&str]| {
        let base = [
            "--workspace",
            ws,
            "campaign",
            "over-messaging",
            "--from",
            "2026-08-01",
            "--to",
            "2026-10-31",
            "--json",
        ];
        rebound(home.path(), &[&base[..], extra].concat())
    };
    let (ok, o) = over_messaging(&[]);
    assert!(ok, "{o}");
    assert_eq!(
        keys(&o),
        [
            "ad_campaigns",
            "ad_distribution",
            "caps_source",
            "channels",
            "from",
            "notes",
            "to"
        ]
    );
    // The workspace's sending rules: e-mail 1 a day and 3 in 7 days, SMS,
    // push; channels in name order.
    assert_eq!(o["caps_source"], "sending_rules");
    let email = &o["channels"][0];
    assert_eq!(email["channel"], "email");
    assert_eq!(
        keys(email),
        [
            "caps",
            "channel",
            "max_per_day",
            "max_per_week",
            "messages",
            "messages_over_cap",
            "people",
            "people_over",
            "per_week",
            "worst"
        ]
    );
    assert!(email["messages"].as_u64().unwrap() > 0);
    assert_eq!(
        keys(&email["caps"][0]),
        ["cap", "description", "messages_over", "people_over"]
    );
    assert_eq!(
        email["caps"][1]["description"],
        "email at most 3 per 7 days"
    );

    // Caps given on the command line replace the rules.
    let (ok, strict) = over_messaging(&["--cap", "email:1/30"]);
    assert!(ok, "{strict}");
    assert_eq!(strict["caps_source"], "query");
    let strict_email = &strict["channels"][0];
    assert_eq!(strict_email["caps"].as_array().unwrap().len(), 1);
    assert_eq!(
        strict_email["caps"][0]["cap"],
        serde_json::json!({ "channel": "email", "max": 1, "per_days": 30 })
    );
    // One e-mail a month is stricter than the rules: more people are over it.
    assert!(
        strict_email["people_over"].as_u64().unwrap() >= email["people_over"].as_u64().unwrap()
    );
    if !strict_email["worst"].as_array().unwrap().is_empty() {
        assert_eq!(
            keys(&strict_email["worst"][0]),
            [
                "campaigns",
                "cap",
                "first_day",
                "last_day",
                "messages",
                "person_id"
            ]
        );
    }
}

/// A demo shop selling in yen: the same shop as in dollars at ¥150 to the
/// dollar, in whole yen, in the demo's summary, `rebound metrics` and its table.
#[test]
fn a_yen_demo_shows_whole_yen_everywhere() {
    let home = tempfile::tempdir().unwrap();
    let build = |file: &str, currency: &str| {
        let ws = home.path().join(file).display().to_string();
        let (ok, v) = rebound(
            home.path(),
            &[
                "--workspace",
                &ws,
                "demo",
                "--people",
                "300",
                "--seed",
                "5",
                "--until",
                "2026-11-30",
                "--currency",
                currency,
                "--json",
            ],
        );
        assert!(ok, "{v}");
        (ws, v["demo"].clone())
    };
    let (usd_ws, usd) = build("usd.rebound", "USD");
    let (jpy_ws, jpy) = build("jpy.rebound", "JPY");
    assert_eq!(jpy["currency"], "JPY");
    assert_eq!(
        jpy["orders"], usd["orders"],
        "the same shop, the same orders"
    );
    // Each item's price is rounded to the yen: at most half a yen per unit off
    // 1.5 × the cents.
    let (yen, cents) = (
        jpy["revenue_minor"].as_i64().unwrap(),
        usd["revenue_minor"].as_i64().unwrap(),
    );
    let off = (yen as f64 - 1.5 * cents as f64).abs();
    assert!(off <= 0.005 * yen as f64, "{yen} yen against {cents} cents");

    let metrics = |ws: &str| {
        let (ok, m) = rebound(
            home.path(),
            &[
                "--workspace",
                ws,
                "metrics",
                "--from",
                "2026-09-02",
                "--to",
                "2026-11-30",
                "--json",
            ],
        );
        assert!(ok, "{m}");
        assert_eq!(m["blocks"].as_array().unwrap().len(), 1, "{m}");
        m["blocks"][0].clone()
    };
    let (m_usd, m_jpy) = (metrics(&usd_ws), metrics(&jpy_ws));
    assert_eq!(m_jpy["currency"], "JPY");
    for figure in ["cost_minor", "revenue_minor"] {
        let yen = m_jpy["totals"][figure].as_i64().unwrap() as f64;
        let cents = m_usd["totals"][figure].as_i64().unwrap() as f64;
        assert!(yen > 0.0, "{figure}");
        assert!(
            (yen / cents - 1.5).abs() < 0.01,
            "{figure}: {yen} yen, {cents} cents"
        );
    }
    assert_eq!(m_jpy["totals"]["clicks"], m_usd["totals"]["clicks"]);
    // The table prints whole yen: the total cost as the JSON has it, no decimals.
    let (ok, text) = rebound_text(
        home.path(),
        &[
            "--workspace",
            &jpy_ws,
            "metrics",
            "--from",
            "2026-09-02",
            "--to",
            "2026-11-30",
        ],
    );
    assert!(ok, "{text}");
    let cost = m_jpy["totals"]["cost_minor"].as_i64().unwrap();
    assert!(text.contains(&cost.to_string()), "{cost} in {text}");
    // Not the same figure read as if yen had cents.
    let as_cents = rebound_core::money::decimal(cost, "USD");
    assert!(!text.contains(&as_cents), "{as_cents} in {text}");

    let (ok, err) = rebound(
        home.path(),
        &[
            "--workspace",
            &jpy_ws,
            "demo",
            "--replace",
            "--currency",
            "XYZ",
            "--json",
        ],
    );
    assert!(!ok);
    assert_eq!(err["error"]["code"], "invalid_input");
    assert_eq!(
        err["error"]["message"],
        "the demo shop cannot sell in 'XYZ'; it sells in USD, EUR, GBP, JPY, KRW, HUF, KWD"
    );
}
