//! `rebound creative …` as a process: `render --json` writes the file it says
//! it wrote (PNG or SVG, the format's size), names the picks and findings, and
//! errors come out as `{ error: { code, message } }`.
//! (Built as a test of the rebound-cli package, which points here.)

#[path = "cli_support.rs"]
mod support;

use support::{keys, rebound};

#[test]
fn creative_render_json_writes_the_ad_and_reports_picks_and_findings() {
    let home = tempfile::tempdir().unwrap();
    let ws = home.path().join("c.rebound");
    let ws = ws.to_str().unwrap();
    let (ok, demo) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "demo",
            "--people",
            "800",
            "--seed",
            "5",
            "--until",
            "2026-10-31",
            "--json",
        ],
    );
    assert!(ok, "{demo}");

    let (ok, formats) = rebound(home.path(), &["creative", "formats", "--json"]);
    assert!(ok, "{formats}");
    assert_eq!(formats["formats"].as_array().unwrap().len(), 10);

    let (ok, templates) = rebound(
        home.path(),
        &["--workspace", ws, "creative", "templates", "--json"],
    );
    assert!(ok, "{templates}");
    let template = templates["templates"][0]["definition"]["name"]
        .as_str()
        .unwrap()
        .to_string();

    let (ok, people) = rebound(
        home.path(),
        &[
            "--workspace",
            ws,
            "creative",
            "people",
            "--as-of",
            "2026-10-31",
            "--limit",
            "3",
            "--json",
        ],
    );
    assert!(ok, "{people}");
    let person = people["people"][0]["person"]["id"]
        .as_i64()
        .expect("a person to preview");
    let person = person.to_string();

    let png = home.path().join("ad.png");
    let args = |format: &'static str, out: &str| {
        vec![
            "--workspace".to_string(),
            ws.to_string(),
            "creative".into(),
            "render".into(),
            "--template".into(),
            template.clone(),
            "--person".into(),
            person.clone(),
            "--format".into(),
            format.into(),
            "--out".into(),
            out.to_string(),
            "--as-of".into(),
            "2026-10-31".into(),
            "--json".into(),
        ]
    };
    let a = args("300x250", png.to_str().unwrap());
    let (ok, out) = rebound(
        home.path(),
        &a.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert!(ok, "{out}");
    assert_eq!(
        keys(&out),
        [
            "file",
            "findings",
            "format",
            "images",
            "person",
            "picks",
            "product_ids",
            "template",
            "texts"
        ]
    );
    assert_eq!(
        keys(&out["file"]),
        ["bytes", "height", "kind", "path", "width"]
    );
    assert_eq!(out["file"]["kind"], "png");
    assert_eq!(
        (
            out["file"]["width"].as_u64(),
            out["file"]["height"].as_u64()
        ),
        (Some(300), Some(250))
    );
    assert_eq!(out["format"]["format"], "google_300x250");
    let bytes = std::fs::read(&png).unwrap();
    assert!(bytes.starts_with(b"\x89PNG"));
    assert_eq!(out["file"]["bytes"].as_u64(), Some(bytes.len() as u64));
    let first = &out["picks"][0];
    assert_eq!(keys(first), ["kind", "product", "reason"]);
    assert_eq!(
        first["kind"], "carted",
        "the person was suggested for a cart they left"
    );
    assert!(!first["reason"].as_str().unwrap().is_empty());
    // Demo images are web links: a placeholder is drawn and the linter says so.
    assert!(
        out["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["code"] == "image_not_local"),
        "{}",
        out["findings"]
    );

    // The same render twice gives the same bytes.
    let (ok, _) = rebound(
        home.path(),
        &a.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert!(ok);
    assert_eq!(std::fs::read(&png).unwrap(), bytes);

    let svg = home.path().join("ad.svg");
    let (ok, out) = rebound(
        home.path(),
        &args("carousel", svg.to_str().unwrap())
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    assert!(ok, "{out}");
    assert_eq!(out["file"]["kind"], "svg");
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && !text.contains("<script"));
    assert!(out["product_ids"].as_array().unwrap().len() >= 2);

    let mut bad = args("billboard", png.to_str().unwrap());
    let (ok, err) = rebound(
        home.path(),
        &bad.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert!(!ok);
    assert_eq!(err["error"]["code"], "unknown_ad_format");
    assert!(err["error"]["message"]
        .as_str()
        .unwrap()
        .contains("billboard"));
    bad = args("1:1", png.to_str().unwrap());
    bad[5] = "No such template".into();
    let (ok, err) = rebound(
        home.path(),
        &bad.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    assert!(!ok);
    assert!(
        err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("No such template"),
        "{err}"
    );
}
