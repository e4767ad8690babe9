//! Saving, listing, updating and deleting segments; JSON export and import
//! with their errors; the README's JSON examples parse.

mod common;

use rebound_core::ErrorCode;
use rebound_segments::templates::*;
use rebound_segments::*;

#[tokio::test]
async fn segments_are_saved_listed_updated_and_deleted() {
    let fixture = common::empty_workspace().await;
    let ws = &fixture.workspace;
    let saved = create_segment(ws, &cart_abandoners(), 1_000)
        .await
        .expect("create");
    assert_eq!((saved.created_at, saved.updated_at), (1_000, 1_000));
    let purpose: String = sqlx::query_scalar("SELECT purpose FROM segments WHERE id = ?1")
        .bind(saved.id)
        .fetch_one(ws.pool())
        .await
        .expect("purpose column");
    assert_eq!(purpose, "retargeting");

    let lapsed = create_segment(ws, &lapsed_customers(), 2_000)
        .await
        .expect("create");
    let names: Vec<String> = list_segments(ws)
        .await
        .expect("list")
        .into_iter()
        .map(|s| s.definition.name)
        .collect();
    assert_eq!(names, vec!["Cart abandoners", "Lapsed customers"]);
    assert_eq!(
        get_segment(ws, lapsed.id).await.expect("get").definition,
        lapsed_customers()
    );

    let err = create_segment(ws, &cart_abandoners(), 3_000)
        .await
        .expect_err("duplicate");
    assert_eq!(
        err.to_string(),
        "cannot save segment \"Cart abandoners\": a segment with that name already exists"
    );
    assert_eq!(err.code(), ErrorCode::AlreadyExists);

    let mut changed = cart_abandoners();
    changed.name = "Cart abandoners (30 days)".into();
    let updated = update_segment(ws, saved.id, &changed, 4_000)
        .await
        .expect("update");
    assert_eq!((updated.created_at, updated.updated_at), (1_000, 4_000));
    assert_eq!(
        get_segment(ws, saved.id)
            .await
            .expect("get")
            .definition
            .name,
        "Cart abandoners (30 days)"
    );

    let user = common::definition(
        "uses lapsed",
        Rule::InSegment {
            segment: "Lapsed customers".into(),
        },
    );
    create_segment(ws, &user, 5_000).await.expect("create");
    let err = delete_segment(ws, lapsed.id).await.expect_err("in use");
    assert_eq!(
        err.to_string(),
        "cannot delete segment \"Lapsed customers\": it is used by uses lapsed"
    );
    let mut renamed = lapsed_customers();
    renamed.name = "Lapsed".into();
    let err = update_segment(ws, lapsed.id, &renamed, 6_000)
        .await
        .expect_err("rename in use");
    assert_eq!(err.code(), ErrorCode::SegmentInUse);

    delete_segment(ws, saved.id).await.expect("delete");
    assert!(
        matches!(get_segment(ws, saved.id).await, Err(Error::SegmentNotFound(id)) if id == saved.id)
    );
    assert!(matches!(
        delete_segment(ws, saved.id).await,
        Err(Error::SegmentNotFound(_))
    ));
    fixture.workspace.close().await;
}

#[tokio::test]
async fn export_and_import_round_trip_between_workspaces() {
    let source = common::empty_workspace().await;
    let target = common::empty_workspace().await;
    let mut definitions: Vec<SegmentDefinition> =
        templates().into_iter().map(|t| t.definition).collect();
    definitions.push(common::definition(
        "Abandoners who are not recent buyers",
        Rule::All {
            rules: vec![
                Rule::InSegment {
                    segment: "Cart abandoners".into(),
                },
                Rule::Not {
                    rule: Box::new(Rule::InSegment {
                        segment: "Recent purchasers (exclude)".into(),
                    }),
                },
            ],
        },
    ));
    for d in &definitions {
        create_segment(&source.workspace, d, 10)
            .await
            .expect("create");
    }
    let saved: Vec<SegmentDefinition> = list_segments(&source.workspace)
        .await
        .expect("list")
        .into_iter()
        .map(|s| s.definition)
        .collect();
    let json = export_json(&saved);
    let imported = import_segments(&target.workspace, &json, 20)
        .await
        .expect("import");
    assert_eq!(imported.len(), definitions.len());
    let back: Vec<SegmentDefinition> = list_segments(&target.workspace)
        .await
        .expect("list")
        .into_iter()
        .map(|s| s.definition)
        .collect();
    assert_eq!(back, saved);

    // The same file again: refused as a whole, nothing added.
    let err = import_segments(&target.workspace, &json, 30)
        .await
        .expect_err("duplicate");
    assert_eq!(err.code(), ErrorCode::AlreadyExists);
    assert_eq!(
        list_segments(&target.workspace).await.expect("list").len(),
        definitions.len()
    );
    source.workspace.close().await;
    target.workspace.close().await;
}

fn file_with(segment: serde_json::Value) -> String {
    serde_json::json!({"format": "rebound.segments", "version": 1, "segments": [segment]})
        .to_string()
}

fn minimal(rule: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"version": 1, "name": "x", "purpose": "retargeting", "rule": rule})
}

#[test]
fn import_errors_say_what_is_wrong() {
    let cases: Vec<(String, &str)> = vec![
        ("not json".to_string(), "cannot read the segment file: it is not JSON (line 1, column 2)"),
        (r#"{"format": "other", "version": 1, "segments": []}"#.to_string(), "its format is \"other\""),
        (r#"{"format": "rebound.segments", "version": 9, "segments": []}"#.to_string(), "it is version 9"),
        (r#"{"format": "rebound.segments", "version": 1}"#.to_string(), "no \"segments\" list"),
        (
            file_with(minimal(serde_json::json!({"type": "did", "event": {"name": "purchase"}, "window": {"kind": "last_days", "days": 7}, "cuont": 1}))),
            "segment 1 (\"x\"): unknown field rule.cuont",
        ),
        (
            file_with(minimal(serde_json::json!({"type": "did", "event": {"name": "purchase"}, "window": {"kind": "last_weeks", "days": 7}}))),
            "unknown variant `last_weeks`",
        ),
        (
            file_with(minimal(serde_json::json!({"type": "did_not", "event": {"name": "purchase"}, "window": {"kind": "between", "from": "2026-10-05", "to": "2026-10-01"}}))),
            "invalid segment \"x\": rule.window: the window starts on 2026-10-05, after it ends on 2026-10-01",
        ),
        (
            file_with(minimal(serde_json::json!({"type": "person_property", "key": "a.b", "equals": "x"}))),
            "property key \"a.b\" must be 1 to 64 letters, digits or underscores",
        ),
        (
            file_with(serde_json::json!({"version": 1, "name": "x", "purpose": "remarketing", "rule": {"type": "all", "rules": []}})),
            "a remarketing segment needs a consent channel",
        ),
    ];
    for (json, expected) in cases {
        let err = parse_export(&json).expect_err(&json);
        assert!(
            err.to_string().contains(expected),
            "{json}\n  gave: {err}\n  want: {expected}"
        );
    }
}

#[test]
fn user_text_never_reaches_the_sql() {
    let hostile = "'; DROP TABLE events; --";
    let definition = common::definition(
        "hostile",
        Rule::Did {
            event: EventSpec::named(hostile).with(EventFilter::Page {
                matches: TextMatch::Contains,
                value: hostile.into(),
            }),
            count: CountCondition::default(),
            window: Window::Ever,
        },
    );
    let compiled = compile(&definition, 0, &Library::new()).expect("compile");
    assert!(!compiled.sql.contains("DROP"));
    assert_eq!(
        compiled
            .params
            .iter()
            .filter(|p| **p == Param::Text(hostile.into()))
            .count(),
        2
    );
}

/// Every ```json block in the README is a segment definition or file that
/// parses and validates, so the documentation cannot drift from the model.
#[test]
fn readme_examples_parse() {
    let readme = include_str!("../README.md");
    let mut blocks = 0;
    for block in readme.split("```json").skip(1) {
        let json = block.split("```").next().expect("closed block");
        blocks += 1;
        if json.contains("\"segments\"") {
            parse_export(json).unwrap_or_else(|e| panic!("{e}\n{json}"));
        } else {
            let d: SegmentDefinition =
                serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}\n{json}"));
            d.validate().unwrap_or_else(|e| panic!("{e}\n{json}"));
        }
    }
    assert!(blocks >= 3, "the README has {blocks} JSON examples");
}
