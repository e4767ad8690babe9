//! The contract between the UI's fake backend and the real one: every case
//! in `tests/contract/cases.json` is answered here by `rebound-api`, and by
//! the fake in `ui/src/api/contract.test.ts`, and both must give the file's
//! answer. A fake that takes on a rule of the backend gets its cases there,
//! so the browser preview and the component tests cannot drift from the app.

use std::path::{Path, PathBuf};

use rebound_api::types::AudienceArm;
use rebound_api::Ctx;
use rebound_core::paths::AppDirs;
use rebound_core::Workspace;
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
struct Cases {
    audience_arms_check: Vec<ArmsCase>,
    import_inspect_suggestion: Vec<SuggestionCase>,
}

#[derive(Deserialize)]
struct ArmsCase {
    arms: Vec<AudienceArm>,
    /// The answer as it crosses IPC.
    result: Value,
}

#[derive(Deserialize)]
struct SuggestionCase {
    file: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    /// `suggested_mapping` as it crosses IPC.
    result: Value,
}

fn cases() -> Cases {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../tests/contract/cases.json");
    let text = std::fs::read_to_string(&path).expect("tests/contract/cases.json");
    serde_json::from_str(&text).expect("the contract cases parse as the API's types")
}

async fn context(dir: &Path) -> Ctx<'static> {
    let workspace = Workspace::create(&dir.join("contract.rebound"))
        .await
        .expect("a new workspace");
    let dirs = AppDirs {
        data: dir.join("data"),
        config: dir.join("config"),
    };
    Ctx::workspace(workspace, dirs)
}

#[tokio::test]
async fn the_arms_check_answers_as_the_contract_says() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ctx = context(dir.path()).await;
    let cases = cases().audience_arms_check;
    assert!(cases.len() >= 8, "the contract lost its arms cases");
    for case in cases {
        let got = rebound_api::experiments::audience_arms_check(&ctx, case.arms.clone())
            .await
            .expect("the check never fails");
        assert_eq!(json!(got), case.result, "arms {:?}", case.arms);
    }
}

#[tokio::test]
async fn an_inspected_file_is_suggested_the_contract_mapping() {
    let dir = tempfile::tempdir().expect("temp dir");
    let ctx = context(dir.path()).await;
    for case in cases().import_inspect_suggestion {
        let path: PathBuf = dir.path().join(&case.file);
        let mut text = case.header.join(",");
        for row in &case.rows {
            text.push('\n');
            text.push_str(&row.join(","));
        }
        text.push('\n');
        std::fs::write(&path, text).expect("write the case's file");
        let inspection = rebound_api::import::inspect(&ctx, path)
            .await
            .expect("the file inspects");
        assert_eq!(inspection.header, case.header, "{}", case.file);
        assert!(inspection.needs_mapping, "{} needs a mapping", case.file);
        assert_eq!(
            json!(inspection.suggested_mapping),
            case.result,
            "{}",
            case.file
        );
    }
}
